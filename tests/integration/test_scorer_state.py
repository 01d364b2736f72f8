"""Scores kept in Redis: each signal once, the same figures in any order, coalesced updates."""

import random
import uuid
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis.asyncio import Redis

from radar_schemas import Contribution, Sector
from radar_scorer.domain.contributions import document_contributions
from radar_scorer.domain.model import ScoreParams, snapshot
from radar_scorer.scoring import sector_scored, table
from radar_scorer.state import ScoreStore

from .scoring_helpers import T0, dev_documents

PARAMS = ScoreParams()


async def fold_docs(store: ScoreStore, order: list[int]) -> None:
    docs = dev_documents()
    for index in order:
        for sector, share in document_contributions(docs[index], {}).items():
            await store.fold(sector, share.document_id, f"event-{index}", share)


async def test_any_order_and_any_repetition_give_the_same_table(redis: Redis, prefix: str) -> None:
    count = len(dev_documents())
    in_order = ScoreStore(redis, f"{prefix}:a")
    await fold_docs(in_order, list(range(count)))
    shuffled = ScoreStore(redis, f"{prefix}:b")
    order = list(range(count))
    random.Random(11).shuffle(order)
    await fold_docs(shuffled, order + order[: count // 2])  # half of them delivered twice
    at = await in_order.newest()
    assert at is not None and at == await shuffled.newest()
    expected = await table(in_order, at, PARAMS)
    assert {row.sector for row in expected} >= {Sector.GAMING, Sector.AI_INFRA}
    assert await table(shuffled, at, PARAMS) == expected
    earlier = at - timedelta(days=2)  # history: the same question at an earlier time
    assert await table(shuffled, earlier, PARAMS) == await table(in_order, earlier, PARAMS)


def share(document_id: str, minutes: float, delta: float = 0.5) -> Contribution:
    return Contribution(
        document_id=document_id, title=document_id, delta=delta, at=T0 + timedelta(minutes=minutes)
    )


async def test_one_update_per_sector_and_interval_decided_once_per_event(
    redis: Redis, prefix: str
) -> None:
    store = ScoreStore(redis, prefix, coalesce_s=300)
    gaming = Sector.GAMING
    assert await store.fold(gaming, "d1", "e1", share("d1", 0))
    assert not await store.fold(gaming, "d2", "e2", share("d2", 2))  # same 5-minute interval
    assert await store.fold(gaming, "d1", "e1", share("d1", 0))  # e1 redelivered: decides again
    assert not await store.fold(gaming, "d1", "e9", share("d1", 0))  # d1 replayed: nothing
    assert not await store.fold(gaming, "d0", "e0", share("d0", -60))  # late: folded, no update
    assert await store.fold(gaming, "d3", "e3", share("d3", 6))  # a later interval
    assert await store.fold(gaming, "d1", "e1", share("d1", 0))  # e1 again, after e3: the same
    scored = await sector_scored(store, gaming, T0 + timedelta(minutes=6), PARAMS)
    assert scored.signals == 4  # d0, d1, d2, d3: the late one counts at its own time
    late_only = await sector_scored(store, gaming, T0 - timedelta(minutes=30), PARAMS)
    assert late_only.signals == 1 and late_only.top_contributors[0].document_id == "d0"


async def test_after_a_flush_a_signal_it_covers_publishes_no_older_update(
    redis: Redis, prefix: str
) -> None:
    """Updates of a sector go forward in event time: a flush at W counts W's interval and
    those before it as published; a signal in them waits for the next flush."""
    store = ScoreStore(redis, prefix, coalesce_s=300)
    gaming, watermark = Sector.GAMING, T0 + timedelta(minutes=60)
    assert await store.fold(gaming, "d1", "e1", share("d1", 0))
    read = await store.published(gaming)
    assert await store.publish_flush(gaming, read, watermark, f"{prefix}:s", {"k": "v"})
    assert not await store.fold(gaming, "d2", "e2", share("d2", 30))  # before W
    assert not await store.fold(gaming, "d3", "e3", share("d3", 61))  # W's own interval
    assert (await store.published(gaming)).due(watermark, timedelta(minutes=5))
    assert await store.fold(gaming, "d4", "e4", share("d4", 65))  # a later interval
    assert await redis.xlen(f"{prefix}:s") == 1


signal_lists = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=24 * 60 * 20),  # minutes over 20 days
        st.floats(min_value=-2, max_value=2, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(signals=signal_lists, order=st.randoms(use_true_random=False), repeats=st.integers(0, 5))
async def test_redis_state_gives_the_figures_of_the_set_in_any_order(
    redis: Redis, signals: list[tuple[int, float]], order: random.Random, repeats: int
) -> None:
    """Folded through the Lua script in a shuffled order, some twice, the table is the pure
    model's figures for the set."""
    prefix = f"hyp-{uuid.uuid4().hex[:12]}"
    shares = [share(f"d{i}", minutes, delta) for i, (minutes, delta) in enumerate(signals)]
    arrival = shares + order.sample(shares, min(repeats, len(shares)))
    order.shuffle(arrival)
    store = ScoreStore(redis, prefix)
    try:
        for item in arrival:
            await store.fold(Sector.GAMING, item.document_id, f"e-{item.document_id}", item)
        at = max(s.at for s in shares)
        scored = await sector_scored(store, Sector.GAMING, at, PARAMS)
        expected = snapshot(shares, at, PARAMS)
        assert scored.score == round(expected.score, 6)
        assert scored.momentum == round(expected.momentum, 6)
        assert scored.signals == len(shares)
        assert scored.top_contributors == expected.top
    finally:
        keys = [k async for k in redis.scan_iter(match=f"{prefix}:*")]
        if keys:
            await redis.delete(*keys)
