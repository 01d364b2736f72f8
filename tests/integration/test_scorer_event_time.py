"""Score updates decided on event time, on a real Redis: the signals folded in any arrival
order, with a release after each (as the service does), give the same sequence of updates
(sectors, as_of, figures) as long as the allowed lateness covers the disorder; two replicas
releasing at once publish each update once; a release that crashed half-way publishes the rest
and nothing twice."""

import asyncio
import random
from datetime import datetime, timedelta
from typing import Any

from redis.asyncio import Redis

from radar_schemas import Contribution, Sector, Streams
from radar_scorer.domain.model import ScoreParams
from radar_scorer.domain.watermark import Timing
from radar_scorer.release import Releaser, wall_ms
from radar_scorer.state import ScoreStore

from ..support.messages import read_all
from .scoring_helpers import T0

SECTORS = [Sector.GAMING, Sector.FILM_TV, Sector.AI_INFRA]
HOUR_MS = 3_600_000


def signals(count: int, seed: int) -> list[tuple[Sector, Contribution]]:
    """Signals over two days in three sectors, some sharing a 5-minute interval."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        at = T0 + timedelta(minutes=rng.randrange(0, 2 * 24 * 60, 3), seconds=rng.random())
        share = Contribution(document_id=f"d{n}", title=f"d{n}", delta=rng.uniform(-1, 1.5), at=at)
        made.append((rng.choice(SECTORS), share))
    return made


def _is_decay(update: dict[str, Any], made: list[tuple[Sector, Contribution]]) -> bool:
    """Whether an update is a quiet sector's refresh: none of its signals in its interval."""
    end = datetime.fromisoformat(update["as_of"])
    start = end - timedelta(minutes=5)
    return not any(s.value == update["sector"] and start < c.at <= end for s, c in made)


def releaser(redis: Redis, prefix: str, lateness_ms: int) -> Releaser:
    store = ScoreStore(redis, prefix, coalesce_s=300)
    timing = Timing(lateness_ms=lateness_ms, idle_ms=HOUR_MS, refresh_ms=2 * HOUR_MS)
    return Releaser(store, ScoreParams(half_life_s=86400), Streams(prefix).scores, timing)


async def replay(
    redis: Redis, prefix: str, arrival: list[tuple[Sector, Contribution]], lateness_ms: int
) -> list[dict[str, Any]]:
    """Fold each signal and release, then close: the updates published, in stream order."""
    release = releaser(redis, prefix, lateness_ms)
    for sector, share in arrival:
        await release.store.fold(sector, share.document_id, share, wall_ms())
        await release.release(trigger="signal")
    await release.release(everything=True)
    entries = await read_all(redis, Streams(prefix).scores)
    return [{**e.payload.model_dump(mode="json"), "of": e.correlation_id} for e in entries]


async def test_any_arrival_order_within_the_lateness_gives_the_same_updates(
    redis: Redis, prefix: str
) -> None:
    made = signals(60, seed=7)
    in_time = sorted(made, key=lambda pair: pair[1].at)
    expected = await replay(redis, f"{prefix}:time", in_time, 3 * 24 * HOUR_MS)
    assert len(expected) > len({share.at for _, share in made}) // 2
    assert {u["sector"] for u in expected} == {s.value for s in SECTORS}
    assert any(_is_decay(u, made) for u in expected)  # quiet sectors refreshed too
    for seed in (1, 2, 3):
        shuffled = random.Random(seed).sample(made, len(made))
        with_repeats = shuffled + shuffled[:10]  # some delivered twice
        got = await replay(redis, f"{prefix}:s{seed}", with_repeats, 3 * 24 * HOUR_MS)
        assert got == expected, seed
    # Without enough lateness, a shuffle makes late signals: still every signal shown, once
    # the replay ends, but the sequence of updates differs (what the lateness is for).
    shuffled = random.Random(1).sample(made, len(made))
    short = await replay(redis, f"{prefix}:short", shuffled, 0)
    assert short != expected
    final = {u["sector"]: u["signals"] for u in short}
    assert final == {u["sector"]: u["signals"] for u in expected}


async def test_two_replicas_publish_each_update_once_and_a_crash_misses_none(
    redis: Redis, prefix: str
) -> None:
    made = signals(30, seed=3)
    expected = await replay(redis, f"{prefix}:one", made, 3 * 24 * HOUR_MS)

    two = f"{prefix}:two"
    one, other = releaser(redis, two, 3 * 24 * HOUR_MS), releaser(redis, two, 3 * 24 * HOUR_MS)
    for sector, share in made:
        await one.store.fold(sector, share.document_id, share, wall_ms())
    # A release that crashed after its first update: published, its interval not released.
    sector, ends = Sector(expected[0]["sector"]), await one.store.closed_ends(2**62)
    assert await one.update(sector, ends[0], "flush") == 1
    counts = await asyncio.gather(one.release(everything=True), other.release(everything=True))
    assert sum(counts) == len(expected) - 1  # the rest, each by one replica
    entries = await read_all(redis, Streams(two).scores)
    got = [{**e.payload.model_dump(mode="json"), "of": e.correlation_id} for e in entries]
    assert sorted(got, key=_key) == sorted(expected, key=_key)  # replicas interleave sectors


def _key(update: dict[str, Any]) -> tuple[str, str]:
    return update["as_of"], update["sector"]
