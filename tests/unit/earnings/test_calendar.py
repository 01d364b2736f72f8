"""Earnings calendar rows, on a real calendar with nulls and odd values; surprise and SUE
checked against figures computed by hand."""

import json
from pathlib import Path

import pytest

from radar_earnings.domain.calendar import calendar_rows, csv_rows, parse_calendar, surprises
from radar_earnings.domain.surprise import sue, surprise, surprise_pct
from radar_schemas import ReportTime
from radar_schemas.earnings import MetricName

EPS = MetricName.EPS


def test_every_real_row_gives_a_report_or_a_rejection(fixtures: Path) -> None:
    rows = json.loads((fixtures / "earnings/calendar_fmp_2025-05-09.json").read_text())
    reports, problems = parse_calendar(rows, "fmp")
    reported = [r for r in rows if r["eps"] is not None or r["revenue"] is not None]
    assert len(reports) == len(reported)
    assert len(reports) + len(problems) == len(rows)
    assert all("not reported yet" in p for p in problems)
    anip = next(r for r in reports if r.company.ticker == "ANIP")
    eps = anip.metrics[EPS]
    # By hand: 1.70 − 1.37 = 0.33; 0.33 / 1.37 = 24.0876 %.
    assert eps.surprise == pytest.approx(0.33)
    assert eps.surprise_pct == 24.0876
    assert eps.sue is None and eps.standardized is False
    assert anip.report_time is ReportTime.BEFORE_OPEN
    assert len({r.report_id for r in reports}) == len(reports)


def test_odd_rows_are_rejections_not_crashes() -> None:
    rows = [
        {"symbol": "X", "date": "not a date", "eps": 1},
        {"date": "2025-01-01", "eps": 1},
        {"symbol": "Y", "date": "2025-01-01", "eps": "n/a", "revenue": float("nan")},
        {"symbol": "Z", "date": "2025-01-01", "eps": 1.0, "epsEstimated": 0, "time": "--"},
        None,
        "a string",
        {"symbol": " ", "date": "2025-01-01", "eps": 1},
    ]
    reports, problems = parse_calendar(rows, "s")
    assert len(problems) == 6
    (z,) = reports
    assert z.metrics[EPS].surprise_pct is None and z.metrics[EPS].surprise == 1.0
    assert z.report_time is ReportTime.UNKNOWN


def test_surprise_uses_the_size_of_a_negative_estimate() -> None:
    assert surprise_pct(-0.5, -1.0) == 50.0
    assert surprise(-0.5, -1.0) == 0.5
    assert surprise_pct(None, 1.0) is None


HISTORY = [0.10, 0.20, 0.00, 0.10, 0.30, 0.20, 0.10, 0.20]


def test_sue_by_hand() -> None:
    # Mean 0.15; squared deviations sum to 0.06; sample variance 0.06 / 7; sd 0.0925820.
    # Surprise 1.50 − 1.20 = 0.30; SUE = 0.30 / 0.0925820 = 3.2404.
    assert sue(0.30, HISTORY) == 3.2404
    assert sue(0.30, HISTORY[1:]) is None  # seven quarters: not enough history
    assert sue(0.30, [0.1] * 8) is None  # no spread, no scale
    assert sue(0.30, [9.9, *HISTORY]) == 3.2404  # only the last eight count


def test_calendar_standardizes_with_the_history_of_earlier_periods() -> None:
    history = {
        ("ACME", EPS): [(f"2023-{m:02d}-28", s) for m, s in zip(range(1, 9), HISTORY, strict=True)]
    }
    history[("ACME", EPS)].append(("2025-06-30", 5.0))  # a later period: not history
    row = {"symbol": "acme", "date": "2025-05-01", "fiscalDateEnding": "2025-03-31"}
    (report,), _ = parse_calendar([{**row, "eps": 1.5, "epsEstimated": 1.2}], "s", history)
    eps = report.metrics[EPS]
    assert (eps.sue, eps.standardized, eps.surprise_pct) == (3.2404, True, 25.0)
    assert surprises([report]) == {("ACME", EPS): {"2025-03-31": pytest.approx(0.3)}}


def test_earlier_rows_of_the_same_file_are_history() -> None:
    rows = [
        {
            "symbol": "B",
            "date": f"202{y}-0{q}-15",
            "fiscalDateEnding": f"202{y}-0{q}-01",
            "eps": 1.0 + s,
            "epsEstimated": 1.0,
        }
        for (y, q), s in zip(
            [(3, 1), (3, 4), (3, 7), (3, 9), (4, 1), (4, 4), (4, 7), (4, 9)], HISTORY, strict=True
        )
    ]
    rows.append(
        {
            "symbol": "B",
            "date": "2025-05-01",
            "fiscalDateEnding": "2025-03-31",
            "eps": 1.5,
            "epsEstimated": 1.2,
        }
    )
    reports, problems = parse_calendar(list(reversed(rows)), "s")
    assert problems == []
    latest = max(reports, key=lambda r: r.report_date)
    assert latest.metrics[EPS].sue == pytest.approx(3.2404, abs=1e-3)
    assert sum(r.metrics[EPS].standardized for r in reports) == 1


def test_csv_and_json_of_the_same_rows_give_the_same_reports(fixtures: Path) -> None:
    earnings = fixtures / "earnings"
    from_json = calendar_rows((earnings / "calendar_fmp_2025-05-09.json").read_bytes(), ".json")
    from_csv = calendar_rows((earnings / "calendar_fmp_2025-05-09.csv").read_bytes(), ".csv")
    assert from_csv == from_json  # empty cells are nulls, figures are numbers
    json_reports, json_problems = parse_calendar(from_json, "fmp")
    csv_reports, csv_problems = parse_calendar(from_csv, "fmp")
    assert csv_reports == json_reports and len(csv_reports) == 19
    assert csv_problems == json_problems and len(csv_problems) == 55 - 19
    anip = next(r for r in csv_reports if r.company.ticker == "ANIP")
    assert anip.metrics[EPS].surprise_pct == 24.0876  # by hand, as above


def test_odd_csv_rows_are_rejections_not_crashes() -> None:
    text = (
        "\ufeff symbol , date,eps,epsEstimated,time,revenue\n"
        "0700,2025-05-14,1.5,1.2,amc,\n"  # a numeric-looking ticker stays text
        "Y,2025-05-14,n/a,,bmo,nan\n"  # odd figures: nulls, so not reported yet
        ",2025-05-14,1.0,1.0,bmo,\n"  # no symbol
        "X,2025-05-14,1.0,1.0,bmo,5,extra\n"  # more cells than the header
        "Z,2025-05-14,2\n"  # fewer cells: the missing ones are nulls
        "\n"
    )
    rows = csv_rows(text)
    assert rows[0] == {
        "symbol": "0700", "date": "2025-05-14", "eps": 1.5, "epsEstimated": 1.2,
        "time": "amc", "revenue": None,
    }  # fmt: skip
    reports, problems = parse_calendar(rows, "s")
    assert [r.company.ticker for r in reports] == ["0700", "Z"]
    assert reports[0].metrics[EPS].surprise == pytest.approx(0.3)
    assert reports[1].metrics[EPS].estimate is None
    assert len(problems) == 3
    assert sum("not reported yet" in p for p in problems) == 1
    assert sum("empty symbol" in p for p in problems) == 1
    assert sum("more cells than the header" in p for p in problems) == 1
    assert not any("RowRejected" in p for p in problems)  # words, not the exception's name
    _, dateless = parse_calendar([{"symbol": "AMCX", "eps": 0.5, "epsEstimated": 0.6}], "s")
    assert dateless == ["row 1: no 'date' field"]


def test_a_json_calendar_is_a_list_of_rows() -> None:
    with pytest.raises(ValueError, match="JSON list of rows"):
        calendar_rows(b'{"earnings": []}', ".json")
    assert calendar_rows(b"symbol,date\n", ".CSV") == []


def test_a_key_error_with_no_key_is_still_one_problem_of_its_row() -> None:
    """A KeyError raised without its key (by a mapping of a row's cells) names the row's
    problem; it must not raise again inside the handler and end the calendar's read."""
    from radar_earnings.domain.calendar import _reason

    assert _reason(KeyError()) == "KeyError: "
    assert _reason(KeyError("date")) == "no 'date' field"
