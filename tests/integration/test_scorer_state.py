"""Scores kept in Redis: each signal once, the same figures in any order, and the intervals a
signal waits for before its sector's update is published."""

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
from radar_scorer.state import Folded, ScoreStore

from .scoring_helpers import T0, dev_documents

PARAMS = ScoreParams()


async def fold_docs(store: ScoreStore, order: list[int]) -> None:
    docs = dev_documents()
    for index in order:
        for sector, share in document_contributions(docs[index], {}).items():
            await store.fold(sector, share.document_id, share)


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


async def test_a_signal_waits_for_its_intervals_end_and_a_late_one_for_the_next(
    redis: Redis, prefix: str
) -> None:
    store = ScoreStore(redis, prefix, coalesce_s=300)
    gaming, five = Sector.GAMING, 5 * 60_000
    t0_ms = int(T0.timestamp() * 1000)
    assert await store.fold(gaming, "d1", share("d1", 0)) == Folded(True, False, t0_ms)
    assert await store.fold(gaming, "d2", share("d2", 2)) == Folded(True, False, t0_ms + five)
    assert not (await store.fold(gaming, "d2", share("d2", 2))).new_signal  # replayed: nothing
    assert await store.closed_ends(t0_ms + five) == [t0_ms, t0_ms + five]
    assert await store.waiting(gaming, t0_ms) and await store.last_update(gaming) is None
    assert await store.publish(gaming, None, t0_ms + five, f"{prefix}:s", {"k": "v"})
    assert not await store.publish(gaming, None, t0_ms + five, f"{prefix}:s", {"k": "v"})
    assert not await store.waiting(gaming, t0_ms + five)  # the update covered both
    await store.advance(t0_ms + five)
    late = await store.fold(gaming, "d0", share("d0", -60))  # before what was published
    assert late == Folded(True, True, t0_ms + 2 * five)
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
            await store.fold(Sector.GAMING, item.document_id, item)
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
