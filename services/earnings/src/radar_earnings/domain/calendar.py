"""Earnings calendar rows (FMP field names) to EarningsReported payloads. Pure.

Rows without an actual (not yet reported) yield nothing; nulls and odd values never fail
the batch: a row that cannot be read is returned as a problem with its reason.
"""

import math
from datetime import date
from typing import Any

from pydantic import ValidationError

from radar_schemas import Company, EarningsReported, ReportTime

_TIMES = {"bmo": ReportTime.BEFORE_OPEN, "amc": ReportTime.AFTER_CLOSE}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def surprise_pct(actual: float | None, estimate: float | None) -> float | None:
    """(actual − estimate) / |estimate| × 100; None when either is missing or estimate is 0."""
    if actual is None or estimate is None or estimate == 0:
        return None
    return round((actual - estimate) / abs(estimate) * 100, 4)


def parse_row(row: dict[str, Any], source: str) -> EarningsReported | None:
    """One calendar row; None when it carries no reported figure yet."""
    eps, eps_est = _number(row.get("eps")), _number(row.get("epsEstimated"))
    revenue, revenue_est = _number(row.get("revenue")), _number(row.get("revenueEstimated"))
    if eps is None and revenue is None:
        return None
    symbol = str(row["symbol"]).strip().upper()
    report_date = date.fromisoformat(str(row["date"]))
    period_end = row.get("fiscalDateEnding")
    return EarningsReported(
        report_id=f"{symbol}:{period_end or report_date.isoformat()}:{source}",
        company=Company(ticker=symbol),
        period_end=date.fromisoformat(period_end) if period_end else None,
        report_date=report_date,
        report_time=_TIMES.get(str(row.get("time", "")).lower(), ReportTime.UNKNOWN),
        source=source,
        eps_actual=eps,
        eps_estimate=eps_est,
        revenue_actual=revenue,
        revenue_estimate=revenue_est,
        eps_surprise_pct=surprise_pct(eps, eps_est),
        revenue_surprise_pct=surprise_pct(revenue, revenue_est),
    )


def parse_calendar(rows: list[Any], source: str) -> tuple[list[EarningsReported], list[str]]:
    """Reports and, for rows that could not be read, one problem line each."""
    reports, problems = [], []
    for index, row in enumerate(rows):
        try:
            report = parse_row(row, source)
        except (KeyError, TypeError, ValueError, ValidationError) as exc:
            problems.append(f"row {index}: {type(exc).__name__}: {exc}")
            continue
        if report is not None:
            reports.append(report)
    return reports, problems
