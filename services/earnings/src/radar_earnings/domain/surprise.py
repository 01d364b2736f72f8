"""Surprise against consensus and its standardized form (SUE). Pure.

A bare beat is weak evidence (about 70% of reports beat), so a surprise is standardized by
the spread of the company's own recent surprises when there is enough history to do so.
"""

import math
import statistics
from collections.abc import Sequence

from radar_schemas.earnings import Metric

SUE_HISTORY_QUARTERS = 8


def surprise(actual: float | None, estimate: float | None) -> float | None:
    """actual − estimate; None when either is missing."""
    if actual is None or estimate is None:
        return None
    gap = round(actual - estimate, 10)
    return gap if math.isfinite(gap) else None  # past float's range: no surprise to standardize


def surprise_pct(actual: float | None, estimate: float | None) -> float | None:
    """(actual − estimate) / |estimate| × 100; None when either is missing or estimate is 0."""
    if actual is None or estimate is None or estimate == 0:
        return None
    pct = round((actual - estimate) / abs(estimate) * 100, 4)
    return pct if math.isfinite(pct) else None


def sue(current: float | None, history: Sequence[float]) -> float | None:
    """``current`` surprise / sample standard deviation of the last 8 earlier surprises.

    None unless all 8 quarters are known and they are not all equal (no spread, no scale).
    """
    recent = list(history)[-SUE_HISTORY_QUARTERS:]
    if current is None or len(recent) < SUE_HISTORY_QUARTERS:
        return None
    try:
        spread = statistics.stdev(recent)
    except OverflowError:  # surprises near float's range: no meaningful scale
        return None
    standardized = round(current / spread, 4) if spread > 0 else None
    return standardized if standardized is not None and math.isfinite(standardized) else None


def metric(
    actual: float | None,
    estimate: float | None,
    unit: str | None = None,
    history: Sequence[float] = (),
) -> Metric:
    """A Metric with surprise, surprise % and (given the history) SUE filled in."""
    gap = surprise(actual, estimate)
    standardized = sue(gap, history)
    return Metric(
        actual=actual,
        estimate=estimate,
        unit=unit,
        surprise=gap,
        surprise_pct=surprise_pct(actual, estimate),
        sue=standardized,
        standardized=standardized is not None,
    )
