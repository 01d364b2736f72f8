"""A sector's score at any event time, computed from the set of signals folded in. Pure.

score(T)     = Σ_{t_i ≤ T} delta_i × 2^(-(T - t_i) / half-life)
attention(T) = Σ_{t_i ≤ T} 2^(-(T - t_i) / half-life)
momentum(T)  = score(T) - score(T - momentum window)
baseline     = EWMA mean and variance of score (and attention) sampled once a day over the
               previous ``baseline_days`` days; z = (score - mean) / max(std, min_std).
               None (no z, no attention baseline) until the sampled span holds at least
               ``baseline_min_signals`` signals on at least ``baseline_min_days`` distinct
               days: one document in a quiet sector is not a 10-sigma event.

Every figure is a function of the *set* of signals and T (sums are exactly rounded with
math.fsum), so any arrival order, any number of replicas and any replay give the same numbers.
"""

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from radar_schemas import Contribution

DAY_S = 86_400.0


@dataclass(frozen=True)
class ScoreParams:
    """The knobs of the score; every one comes from configuration."""

    half_life_s: float = 3 * DAY_S
    momentum_window_s: float = DAY_S
    baseline_days: int = 14
    baseline_alpha: float = 0.3
    baseline_min_std: float = 0.1
    top_n: int = 5
    top_min_share: float = 0.1  # a contributor weighs at least this share of the top one
    baseline_min_signals: int = 5
    baseline_min_days: int = 3

    @property
    def horizon_s(self) -> float:
        """How far back signals still matter: 20 half-lives (a factor of 1e-6) before the
        oldest baseline sample."""
        return 20 * self.half_life_s + self.baseline_days * DAY_S + self.momentum_window_s


@dataclass(frozen=True)
class Snapshot:
    """A sector's figures at one event time."""

    at: datetime
    score: float
    attention: float
    momentum: float
    z: float | None
    attention_baseline: float | None
    top: tuple[Contribution, ...]


def _decay(params: ScoreParams, at: datetime, then: datetime) -> float:
    return float(2.0 ** (-(at - then).total_seconds() / params.half_life_s))


Points = list[tuple[float, float]]  # (event time in epoch seconds, delta), oldest first


def _points(signals: Sequence[Contribution]) -> Points:
    return sorted((c.at.timestamp(), c.delta) for c in signals)


def _sums(points: Points, at_s: float, half_life_s: float) -> tuple[float, float]:
    """Decayed sum of deltas and decayed count of the points at or before ``at_s``."""
    known = points[: bisect_right(points, (at_s, math.inf))]
    factors = [2.0 ** (-(at_s - t) / half_life_s) for t, _ in known]
    return math.fsum(f * d for f, (_, d) in zip(factors, known, strict=True)), math.fsum(factors)


def score_at(signals: Sequence[Contribution], at: datetime, params: ScoreParams) -> float:
    """The decayed sum of the signals at or before ``at``."""
    return _sums(_points(signals), at.timestamp(), params.half_life_s)[0]


def attention_at(signals: Sequence[Contribution], at: datetime, params: ScoreParams) -> float:
    """The decayed count of the signals at or before ``at``."""
    return _sums(_points(signals), at.timestamp(), params.half_life_s)[1]


def ewma(samples: Sequence[float], alpha: float) -> tuple[float, float]:
    """Exponentially weighted mean and variance, oldest sample first."""
    mean, variance = samples[0], 0.0
    for value in samples[1:]:
        diff = value - mean
        increment = alpha * diff
        mean += increment
        variance = (1 - alpha) * (variance + diff * increment)
    return mean, variance


def enough_history(points: Points, days: list[float], params: ScoreParams) -> bool:
    """Whether the baseline's span (from the first daily sample back one day, to the last)
    holds ``baseline_min_signals`` signals on ``baseline_min_days`` distinct days."""
    start = days[0] - DAY_S
    times = [t for t, _ in points if start < t <= days[-1]]
    spread = {math.floor((t - start) / DAY_S) for t in times}
    return len(times) >= params.baseline_min_signals and len(spread) >= params.baseline_min_days


def snapshot(signals: Sequence[Contribution], at: datetime, params: ScoreParams) -> Snapshot:
    """Score, attention, momentum, z against the baseline, and the top contributors at ``at``."""
    points, at_s, half_life_s = _points(signals), at.timestamp(), params.half_life_s
    score, attention = _sums(points, at_s, half_life_s)
    days = [at_s - k * DAY_S for k in range(params.baseline_days, 0, -1)]
    z = attention_baseline = None
    if points and days and points[0][0] <= days[-1] and enough_history(points, days, params):
        samples = [_sums(points, day, half_life_s) for day in days]
        mean, variance = ewma([s for s, _ in samples], params.baseline_alpha)
        z = (score - mean) / max(math.sqrt(variance), params.baseline_min_std)
        attention_baseline, _ = ewma([a for _, a in samples], params.baseline_alpha)
    earlier, _ = _sums(points, at_s - params.momentum_window_s, half_life_s)
    return Snapshot(
        at=at,
        score=score,
        attention=attention,
        momentum=score - earlier,
        z=z,
        attention_baseline=attention_baseline,
        top=top_contributors(signals, at, params),
    )


def top_contributors(
    signals: Sequence[Contribution], at: datetime, params: ScoreParams
) -> tuple[Contribution, ...]:
    """The signals weighing most at ``at`` (largest decayed |delta|; ties by document id),
    leaving out those that weigh less than ``top_min_share`` of the heaviest: a source that
    has decayed to a few percent no longer drives the score, nor confirms its card."""
    weighed = sorted(
        ((abs(c.delta) * _decay(params, at, c.at), c) for c in signals if c.at <= at),
        key=lambda pair: (-pair[0], pair[1].document_id),
    )
    if not weighed:
        return ()
    floor = weighed[0][0] * params.top_min_share
    return tuple(c for weight, c in weighed[: params.top_n] if weight >= floor)
