"""Earnings calendar rows, on a real calendar with nulls and odd values."""

import json
from pathlib import Path

from radar_earnings.domain.calendar import parse_calendar, surprise_pct
from radar_schemas import ReportTime


def test_real_calendar_yields_reports_only_for_reported_rows(fixtures: Path) -> None:
    rows = json.loads((fixtures / "earnings/calendar_fmp_2025-05-09.json").read_text())
    reports, problems = parse_calendar(rows, "fmp")
    reported = [r for r in rows if r["eps"] is not None or r["revenue"] is not None]
    assert problems == []
    assert len(reports) == len(reported)
    anip = next(r for r in reports if r.company.ticker == "ANIP")
    assert anip.eps_surprise_pct == round((1.7 - 1.37) / 1.37 * 100, 4)
    assert anip.report_time is ReportTime.BEFORE_OPEN
    assert len({r.report_id for r in reports}) == len(reports)


def test_odd_rows_are_problems_not_crashes() -> None:
    rows = [
        {"symbol": "X", "date": "not a date", "eps": 1},
        {"date": "2025-01-01", "eps": 1},
        {"symbol": "Y", "date": "2025-01-01", "eps": "n/a", "revenue": float("nan")},
        {"symbol": "Z", "date": "2025-01-01", "eps": 1.0, "epsEstimated": 0, "time": "--"},
    ]
    reports, problems = parse_calendar(rows, "s")
    assert len(problems) == 2
    (z,) = reports
    assert z.eps_surprise_pct is None and z.report_time is ReportTime.UNKNOWN


def test_surprise_uses_the_size_of_a_negative_estimate() -> None:
    assert surprise_pct(-0.5, -1.0) == 50.0
    assert surprise_pct(None, 1.0) is None
