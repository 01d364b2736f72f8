"""Broken and hostile earnings files (issue 16, item 4): a bad row is skipped with its reason,
a bad file is one clear line; never a traceback."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from radar_cli.main import main
from radar_earnings.domain.calendar import calendar_rows, csv_rows, parse_calendar
from radar_earnings.domain.documents import EarningsText, NotEarnings, read_earnings_text
from radar_earnings.domain.xbrl import parse_companyfacts
from radar_reference import load_companies
from radar_schemas.earnings import MetricName

HEADER = "symbol,date,eps,epsEstimated\n"
GOOD = "AAPL,2025-05-01,1.65,1.62\n"


def test_a_stray_carriage_return_in_a_csv_row_is_a_rejection_not_an_error() -> None:
    # csv raised "new-line character seen in unquoted field" out of the whole file.
    rows = csv_rows(HEADER + "MSFT,2025-05-01,3.4\r6,3.2\n" + GOOD)
    reports, problems = parse_calendar(rows, "s")
    assert [r.company.ticker for r in reports] == ["AAPL"]  # the next line is still read
    (problem,) = problems
    assert "line 2" in problem and "new-line character" in problem


def test_a_line_break_inside_quotes_stays_in_its_cell() -> None:
    (row,) = csv_rows(HEADER + '"MS\r\nFT",2025-05-01,3.46,3.2\n')
    assert row["symbol"] == "MS\r\nFT" and row["eps"] == 3.46


def test_a_cell_over_the_csv_field_limit_rejects_its_row_only() -> None:
    rows = csv_rows(HEADER + "X" * 200_000 + ",2025-05-01,1,1\n" + GOOD)
    reports, problems = parse_calendar(rows, "s")
    assert [r.company.ticker for r in reports] == ["AAPL"]
    (problem,) = problems
    assert "field larger than field limit" in problem


def test_a_header_that_cannot_be_read_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="CSV"):
        calendar_rows(("X" * 200_000 + ",date\n").encode(), ".csv")


@pytest.mark.parametrize("depth", [100_000, 300])
def test_deeply_nested_calendar_json_is_a_one_line_value_error(depth: int) -> None:
    with pytest.raises(ValueError, match="nested") as raised:
        calendar_rows(b"[" * depth + b"]" * depth, ".json")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(("eps", "estimate"), [(1e308, -1e308), (1.7e308, 0.0)])
def test_surprises_near_float_range_are_not_standardized(eps: float, estimate: float) -> None:
    # statistics.stdev of such surprises raised AttributeError (inf) or OverflowError.
    rows = [
        {
            "symbol": "A",
            "date": f"2025-01-{day:02d}",
            "eps": eps * (-1) ** day,
            "epsEstimated": estimate,
        }
        for day in range(1, 11)
    ]
    reports, problems = parse_calendar(rows, "s")
    assert len(reports) == 10 and problems == []
    assert all(r.metrics[MetricName.EPS].sue is None for r in reports)


@pytest.mark.parametrize("symbol", ["0\n0", "A\x00PL"])
def test_a_symbol_with_control_characters_is_rejected_on_one_line(symbol: str) -> None:
    # A line break in the symbol broke the rejection over two lines; a NUL was a ticker.
    reports, problems = parse_calendar([{"symbol": symbol, "date": "2025-01-01", "eps": 1}], "s")
    assert reports == []
    (problem,) = problems
    assert "control characters" in problem and "\n" not in problem


WRONG_TYPES: list[dict[str, Any]] = [
    {"cik": 1, "facts": {"us-gaap": []}},
    {"cik": 1, "facts": {"us-gaap": {"Revenues": []}}},
    {"cik": 1, "facts": {"us-gaap": {"Revenues": {"units": []}}}},
    {"cik": 1, "facts": {"us-gaap": {"Revenues": {"units": {"USD": {}}}}}},
    {"cik": 1, "facts": {"us-gaap": {"Revenues": {"units": {"USD": 5}}}}},
    {"cik": 1, "facts": {"us-gaap": {"Revenues": {"units": 5}}}},
    {"cik": 1, "facts": {"us-gaap": "x"}},
]


def fact(start: str, end: str, value: Any = 1.0, fy: Any = 2024, fp: str = "FY") -> dict[str, Any]:
    return {"start": start, "end": end, "val": value, "filed": "2025-01-01", "accn": "a"} | {
        "fy": fy,
        "fp": fp,
    }


def revenue(*facts: dict[str, Any]) -> dict[str, Any]:
    return {"cik": 1, "facts": {"us-gaap": {"Revenues": {"units": {"USD": list(facts)}}}}}


@pytest.mark.parametrize("document", WRONG_TYPES)
def test_companyfacts_of_the_wrong_shape_name_the_problem(document: dict[str, Any]) -> None:
    reports, problems = parse_companyfacts(document)
    assert reports == []
    assert problems and all("\n" not in p for p in problems)
    assert any("us-gaap" in p for p in problems)


def test_a_fiscal_year_out_of_range_skips_its_period_with_a_problem() -> None:
    # EarningsReported's ValidationError escaped, several lines long.
    reports, problems = parse_companyfacts(revenue(fact("2024-01-01", "2024-12-31", fy=10**9)))
    assert reports == []
    assert any("fiscal_year" in p and "skipped" in p for p in problems)
    assert all("\n" not in p for p in problems)


@pytest.mark.parametrize("value", ["1e999", 10**400, "nan"])
def test_a_value_that_is_not_a_finite_number_is_not_reported(value: Any) -> None:
    reports, _ = parse_companyfacts(revenue(fact("2024-01-01", "2024-12-31", value=value)))
    assert reports == []


def test_a_q4_that_would_start_past_the_last_day_is_not_derived() -> None:
    # Q3 ends on 9999-12-31 with the year: Q4's start was date.max + 1 day, an OverflowError.
    quarters = [
        ("9999-01-01", "9999-03-31"),
        ("9999-04-01", "9999-06-30"),
        ("9999-10-01", "9999-12-31"),
    ]
    document = revenue(
        fact("9999-01-01", "9999-12-31"),
        *(fact(s, e, fp=f"Q{n}") for n, (s, e) in enumerate(quarters, 1)),
    )
    reports, _ = parse_companyfacts(document)
    assert sorted(str(r.fiscal_period) for r in reports) == ["FY", "Q1", "Q2", "Q3"]


@pytest.mark.parametrize("cik", [10**12, -5, 0])
def test_a_cik_of_more_than_ten_digits_is_a_one_line_error(cik: int) -> None:
    with pytest.raises(ValueError, match="not a CIK"):
        parse_companyfacts({"cik": cik, "facts": {}})


COMPANIES = load_companies()
RELEASE = (
    "Adobe (ADBE) reports record revenue in Q1 fiscal {year}. "
    "{date} Revenue of $4.66 billion. GAAP net income was $1.25 billion."
)


@pytest.mark.parametrize(
    ("year", "date"),
    [(2023, "February 30, 2023"), (2023, "March 15, 0000"), (1066, "March 15, 2023")],
)
def test_odd_dates_and_years_in_a_release_never_raise_outside_not_earnings(
    year: int, date: str
) -> None:
    meta = EarningsText("r.txt", datetime(2026, 1, 1, tzinfo=UTC))
    try:
        outputs = read_earnings_text(RELEASE.format(year=year, date=date), meta, COMPANIES)
    except NotEarnings:
        return
    assert outputs.document.tickers == ("ADBE",)


def test_an_impossible_acceptance_time_is_ignored() -> None:
    raw = "<SEC-HEADER><ACCEPTANCE-DATETIME>20231399999999</SEC-HEADER>" + RELEASE.format(
        year=2023, date=""
    )
    meta = EarningsText("r.txt", datetime(2026, 1, 1, tzinfo=UTC))
    outputs = read_earnings_text(raw, meta, COMPANIES)
    assert outputs.document.published_estimated


CLI_CASES = {
    "stray-cr.csv": (HEADER + "MSFT,2025-05-01,3.4\r6,3.2\n" + GOOD).encode(),
    "huge-field.csv": (HEADER + "X" * 200_000 + ",2025-05-01,1,1\n").encode(),
    "nested.json": b"[" * 100_000 + b"]" * 100_000,
    "nested-object.json": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "wrong-types.json": json.dumps(WRONG_TYPES[0]).encode(),
    # These three already gave one line: kept so that they still do.
    "cik-list.json": b'{"cik": [1], "facts": {}}',
    "not-json.json": b"{\x00",
    "bad-utf8.json": b'{"cik": "\xff"}',
}


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_radar_earnings_parse_prints_one_line_never_a_traceback(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(CLI_CASES[name])
    with pytest.raises(SystemExit):
        main(["earnings", "parse", str(path)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for line in err.splitlines():
        assert line.startswith("radar: "), line
