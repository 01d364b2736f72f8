"""Redis-held state: scores fold once per event and in any order; alert transitions; trimming."""

import random
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from radar_alerter.state import AlertStateStore
from radar_runtime import ensure_group, trim_acked
from radar_schemas import AlertStatus, Sector, Streams
from radar_scorer.state import ScoreStore

from ..support.messages import publish_news

T0 = datetime(2026, 11, 1, tzinfo=UTC)
SIGNALS = [(f"e{i}", T0 + timedelta(hours=7 * i), (-1) ** i * (0.3 + i / 10)) for i in range(12)]


async def fold_all(store: ScoreStore, signals: list[tuple[str, datetime, float]]) -> float:
    state = None
    for event_id, at, delta in signals:
        state = await store.fold(Sector.GAMING, event_id, at, delta)
    assert state is not None
    return state.score * 2 ** -((T0 + timedelta(days=10) - state.as_of).total_seconds() / 86400)


async def test_scores_fold_the_same_in_any_order_and_once_per_event(
    redis: Redis, prefix: str
) -> None:
    in_order = await fold_all(ScoreStore(redis, f"{prefix}:a", 86400), SIGNALS)
    shuffled = SIGNALS[:]
    random.Random(7).shuffle(shuffled)
    store = ScoreStore(redis, f"{prefix}:b", 86400)
    assert abs(await fold_all(store, shuffled) - in_order) < 1e-9
    again = await fold_all(store, shuffled[:5])  # redelivered events change nothing
    assert abs(again - in_order) < 1e-9
    assert (await store.fold(Sector.GAMING, "e0", T0, 5.0)).signals == len(SIGNALS)


async def test_alert_transition_happens_once_but_is_repeatable_by_its_event(
    redis: Redis, prefix: str
) -> None:
    store = AlertStateStore(redis, prefix)
    seen_by_1 = await store.read("fp", "ev-1")
    seen_by_2 = await store.read("fp", "ev-2")  # a concurrent event saw the same state
    assert not seen_by_1.firing
    assert await store.transition("fp", seen_by_1, AlertStatus.FIRING, "ev-1")
    assert not await store.transition("fp", seen_by_2, AlertStatus.FIRING, "ev-2")
    later = await store.read("fp", "ev-3")
    assert later.firing and not later.decided_by_this_event
    redelivered = await store.read("fp", "ev-1")  # ev-1 again: it decides as it did
    assert redelivered.decided_by_this_event and not redelivered.firing
    assert await store.transition("fp", redelivered, AlertStatus.FIRING, "ev-1")


async def test_trim_keeps_unacked_and_recent_entries(redis: Redis, streams: Streams) -> None:
    await ensure_group(redis, streams.news, "slow")
    await ensure_group(redis, streams.news, "fast")
    await publish_news(redis, streams.news, 10)
    await redis.xreadgroup("fast", "c", {streams.news: ">"}, count=10)
    await redis.xack(streams.news, "fast", *[i for i, _ in await redis.xrange(streams.news)])
    read = await redis.xreadgroup("slow", "c", {streams.news: ">"}, count=4)
    await redis.xack(streams.news, "slow", *[i for i, _ in read[0][1][:2]])
    assert await trim_acked(redis, streams.news, retention_s=0) == 2  # slow holds entry 3 pending
    assert await redis.xlen(streams.news) == 8
    assert await trim_acked(redis, streams.news, retention_s=3600) == 0  # all younger than 1 h
