"""The score model: decay, attention, momentum, baseline z; any order gives the same figures."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radar_schemas import Contribution
from radar_scorer.domain.model import DAY_S, ScoreParams, ewma, snapshot

T0 = datetime(2026, 11, 1, tzinfo=UTC)
PARAMS = ScoreParams(half_life_s=DAY_S)


def signal(name: str, hours: float, delta: float) -> Contribution:
    return Contribution(document_id=name, title=name, delta=delta, at=T0 + timedelta(hours=hours))


def test_score_halves_per_half_life_and_ignores_later_signals() -> None:
    signals = [signal("a", 0, 1.0), signal("later", 48, 5.0)]
    shot = snapshot(signals, T0 + timedelta(days=1), PARAMS)
    assert shot.score == pytest.approx(0.5)
    assert shot.attention == pytest.approx(0.5)
    assert [c.document_id for c in shot.top] == ["a"]


def test_momentum_is_the_change_over_the_window() -> None:
    signals = [signal("old", 0, 1.0), signal("new", 30, 2.0)]
    at = T0 + timedelta(hours=36)
    shot = snapshot(signals, at, PARAMS)
    before = 1.0 * 2 ** (-12 / 24)
    assert shot.momentum == pytest.approx(shot.score - before)


def test_z_needs_history_and_rises_on_a_burst() -> None:
    quiet = [signal(f"q{d}", d * 24, 0.2) for d in range(20)]
    assert snapshot(quiet[:1], T0 + timedelta(hours=1), PARAMS).z is None
    calm = snapshot(quiet, T0 + timedelta(days=19, hours=1), PARAMS)
    burst = quiet + [signal(f"b{i}", 19 * 24, 1.0) for i in range(3)]
    loud = snapshot(burst, T0 + timedelta(days=19, hours=1), PARAMS)
    assert calm.z is not None and loud.z is not None
    assert loud.z > calm.z + 3
    assert loud.attention_baseline == pytest.approx(calm.attention_baseline)


def test_ewma_of_a_constant_has_no_variance() -> None:
    assert ewma([2.0, 2.0, 2.0], 0.3) == (2.0, 0.0)
    mean, variance = ewma([0.0, 10.0], 0.5)
    assert mean == 5.0 and variance > 0


def test_top_contributors_rank_by_decayed_weight() -> None:
    signals = [signal("old-big", 0, 4.0), signal("new-small", 70, 1.0), signal("neg", 71, -1.5)]
    shot = snapshot(signals, T0 + timedelta(hours=72), ScoreParams(half_life_s=DAY_S, top_n=2))
    assert [c.document_id for c in shot.top] == ["neg", "new-small"]


def test_a_source_decayed_to_a_few_percent_of_the_top_one_is_no_top_contributor() -> None:
    """A late document among sources 16 days old (2^-16 of their weight with a one-day half
    life): the card it raises is its own, not "5 independent sources"."""
    old = [signal(f"old-{i}", 0, 1.0) for i in range(4)]
    late = signal("late", 16 * 24, 1.0)
    shot = snapshot([*old, late], T0 + timedelta(days=16), PARAMS)
    assert [c.document_id for c in shot.top] == ["late"]
    both = snapshot([*old, late], T0 + timedelta(days=16), ScoreParams(DAY_S, top_min_share=0))
    assert len(both.top) == 5  # with no floor, every source is listed


events = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=24 * 30),
        st.floats(min_value=-3, max_value=3, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(events=events, seed=st.integers(min_value=0, max_value=2**32), at_hours=st.integers(0, 800))
def test_any_arrival_order_gives_identical_figures(
    events: list[tuple[int, float]], seed: int, at_hours: int
) -> None:
    signals = [signal(f"d{i}", hours, delta) for i, (hours, delta) in enumerate(events)]
    shuffled = signals[:]
    random.Random(seed).shuffle(shuffled)
    at = T0 + timedelta(hours=at_hours)
    assert snapshot(shuffled, at, PARAMS) == snapshot(signals, at, PARAMS)


def test_z_and_attention_baseline_need_enough_signals_over_enough_days() -> None:
    at = T0 + timedelta(days=20)
    lone = [signal("one", 24 * 10, 1.0)]  # one document in a quiet sector: no 10-sigma event
    assert snapshot(lone, at, PARAMS).z is None
    assert snapshot(lone, at, PARAMS).attention_baseline is None
    # Five signals, but all on one day: still no baseline.
    burst = [signal(f"b{i}", 24 * 10 + i, 0.2) for i in range(5)]
    assert snapshot(burst, at, PARAMS).z is None
    # Five signals over three days: a baseline, and a z.
    spread = [signal(f"s{i}", 24 * (10 + i % 3) + i, 0.2) for i in range(5)]
    assert snapshot(spread, at, PARAMS).z is not None
    # Signals of the last day are not history yet; the bounds are settings.
    recent = [signal(f"r{i}", 24 * 19 + 12 + i, 0.2) for i in range(5)]
    assert snapshot(spread[:4] + recent, at, PARAMS).z is None
    loose = ScoreParams(half_life_s=DAY_S, baseline_min_signals=1, baseline_min_days=1)
    assert snapshot(lone, at, loose).z is not None
