"""A-share and Hong Kong results files (tests/fixtures/china: real reported figures, see its
PROVENANCE.md) through the calendar entry points the service and `radar replay` use:
Chinese and English column names, units in headers and cells, tickers resolved to one
entity per company, currencies kept, surprise and SUE as for US calendars."""

import json
import statistics
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radar_earnings.domain.calendar import calendar_rows, parse_calendar, row_tickers
from radar_earnings.domain.cn_reports import is_cn_layout
from radar_schemas import EarningsReported
from radar_schemas.earnings import MetricName

EPS, REVENUE, NET = MetricName.EPS, MetricName.REVENUE, MetricName.NET_INCOME


def read(path: Path, source: str = "cn") -> tuple[list[EarningsReported], list[str]]:
    return parse_calendar(calendar_rows(path.read_bytes(), path.suffix), source)


def by_id(reports: list[EarningsReported]) -> dict[str, EarningsReported]:
    return {r.report_id: r for r in reports}


def test_a_share_csv_with_chinese_headers(fixtures: Path) -> None:
    reports, problems = read(fixtures / "china/results_a_share.csv")
    assert problems == []
    found = by_id(reports)
    assert set(found) == {
        "002555.SZ:2024-09-30:cn",
        "002555.SZ:2025-09-30:cn",
        "300413.SZ:2025-06-30:cn",
        "603444.SS:2025-09-30:cn",
        "9999.HK:2025-12-31:cn",
    }
    # 三七互娱, Q3 2024 as its quarterly report states it, to the fen (元 in the header).
    q3_2024 = found["002555.SZ:2024-09-30:cn"]
    assert q3_2024.company.name == "37 Interactive Entertainment"
    assert (q3_2024.fiscal_year, q3_2024.fiscal_period) == (2024, "Q3")
    assert q3_2024.metrics[REVENUE].actual == 4_107_396_586.92
    assert q3_2024.metrics[NET].actual == 632_833_102.61
    assert q3_2024.metrics[EPS].actual == 0.29 and q3_2024.metrics[EPS].unit == "CNY/shares"
    # "39.75亿" in a cell: the 亿 in the cell replaces the header's 元.
    q3_2025 = found["002555.SZ:2025-09-30:cn"]
    assert q3_2025.metrics[REVENUE].actual == 3_975_000_000
    assert q3_2025.metrics[NET].actual == 944_000_000
    assert q3_2025.report_date.isoformat() == "2025-10-28"
    # No consensus given: no surprise, nothing invented.
    assert all(m.estimate is None and m.surprise_pct is None for m in q3_2025.metrics.values())
    # An A-share row without a currency is in CNY.
    assert found["300413.SZ:2025-06-30:cn"].currency == "CNY"
    # 603444.SH in the file: Shanghai as the reference writes it.
    gbits = found["603444.SS:2025-09-30:cn"]
    assert gbits.company.name == "G-bits Network Technology"
    assert gbits.metrics[NET].actual == 569_000_000


def test_a_second_listing_is_the_same_company_and_surprise_is_computed(fixtures: Path) -> None:
    reports, _ = read(fixtures / "china/results_a_share.csv")
    netease = by_id(reports)["9999.HK:2025-12-31:cn"]  # the row says NTES
    assert netease.company.ticker == "9999.HK" and netease.company.name == "NetEase"
    assert netease.currency == "CNY" and netease.metrics[REVENUE].unit == "CNY"
    eps = netease.metrics[EPS]
    # By hand: 10.95 − 14.07 = −3.12; −3.12 / 14.07 = −22.1748 %.
    assert eps.surprise == pytest.approx(-3.12)
    assert eps.surprise_pct == -22.1748
    assert netease.eps_surprise_pct == -22.1748
    # 275亿 against 287.9亿, scaled in decimal: exactly −12.9亿.
    assert netease.metrics[REVENUE].estimate == 28_790_000_000
    assert netease.metrics[REVENUE].surprise == -1_290_000_000
    assert not netease.standardized  # no history: a bare surprise


def test_json_with_english_fields_and_hong_kong_tickers(fixtures: Path) -> None:
    reports, problems = read(fixtures / "china/results_hk.json")
    assert problems == []
    found = by_id(reports)
    tencent = found["0700.HK:2025-06-30:cn"]
    assert tencent.company.name == "Tencent" and tencent.currency == "CNY"
    assert tencent.metrics[REVENUE].actual == 184_500_000_000
    netease = found["9999.HK:2025-12-31:cn"]  # "09999.HK" and "RMB" in the file
    assert netease.currency == "CNY" and netease.metrics[REVENUE].surprise_pct == -4.4807
    assert row_tickers(json.loads((fixtures / "china/results_hk.json").read_text())) == [
        "0700.HK",
        "9999.HK",
    ]


def test_a_gbk_csv_reads_as_the_utf8_one(fixtures: Path, tmp_path: Path) -> None:
    """Spreadsheets in China save CSV in GBK."""
    utf8 = fixtures / "china/results_a_share.csv"
    gbk = tmp_path / "results_gbk.csv"
    gbk.write_bytes(utf8.read_text(encoding="utf-8").encode("gbk"))
    assert read(gbk) == read(utf8)


def test_sue_from_the_company_history(fixtures: Path) -> None:
    rows = calendar_rows((fixtures / "china/results_a_share.csv").read_bytes(), ".csv")
    earlier = [0.8, -0.4, 1.1, 0.3, -0.9, 0.5, 0.2, -0.6]
    history = {("9999.HK", EPS): [(f"2023-{i + 1:02d}-28", s) for i, s in enumerate(earlier)]}
    reports, _ = parse_calendar(rows, "cn", history)
    eps = by_id(reports)["9999.HK:2025-12-31:cn"].metrics[EPS]
    assert eps.standardized and eps.sue == round(-3.12 / statistics.stdev(earlier), 4)


def test_bad_rows_are_rejected_with_a_reason_and_the_rest_read() -> None:
    good = {"ticker": "300413.SZ", "period": "2025Q2", "report_date": "2025-08-22"}
    rows = [
        {**good, "revenue": "30.63亿"},
        {**good, "period": "2025-06-30", "revenue": 1},  # a date: quarter or year to date?
        {**good, "ticker": "0700.HK", "revenue": 1},  # Hong Kong: currency must be given
        {**good, "report_date": "2025-06-01", "revenue": 1},  # before the quarter ended
        {**good, "ticker": "900901", "revenue": 1},  # a bare code of no known board
        {**good, "revenue": "n.a.x"},
        {**good},  # nothing reported yet
        "not a row",
    ]
    reports, problems = parse_calendar(rows, "cn")
    assert [r.report_id for r in reports] == ["300413.SZ:2025-06-30:cn"]
    assert len(problems) == 7
    text = "\n".join(problems)
    for reason in (
        "single quarter",
        "no currency",
        "before 2025Q2 ended",
        "names no exchange",
        "not a number",
        "no actual figure",
        "not a row object",
    ):
        assert reason in text, reason


def test_units_in_headers_and_unknown_companies() -> None:
    rows = [
        {
            "证券代码": "SH600000",
            "证券简称": "浦发银行",
            "报告期": "2025年第一季度",
            "公告日期": "2025年4月30日",
            "营业收入(亿元)": "1",
            "归母净利润(万元)": "2",
            "币种": "人民币",
        }
    ]
    assert is_cn_layout(rows)
    (report,), problems = parse_calendar(rows, "cn")
    assert problems == []
    assert report.company.ticker == "600000.SS" and report.company.name == "浦发银行"
    assert report.metrics[REVENUE].actual == 100_000_000
    assert report.metrics[NET].actual == 20_000


def test_an_fmp_calendar_is_not_taken_for_the_chinese_layout(fixtures: Path) -> None:
    rows = json.loads((fixtures / "earnings/calendar_fmp_2025-05-09.json").read_text())
    assert not is_cn_layout(rows)
    reports, _ = parse_calendar(rows, "fmp")
    assert reports and all(r.currency is None for r in reports)


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["1e999999999", "--", "39.75亿", "2025年第三季度", "SH600000", "(((("]),
)
HEADERS = st.sampled_from(
    ["证券代码", "报告期", "公告日期", "营业收入(亿元)", "归母净利润", "每股收益", "币种", "ticker"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(HEADERS | st.text(max_size=12), CELLS, max_size=9), max_size=5))
def test_any_row_is_a_report_or_a_rejection_never_an_error(rows: list[dict[str, Any]]) -> None:
    rows = [{"证券代码": "300413.SZ", **row} for row in rows]  # the Chinese layout
    reports, problems = parse_calendar(rows, "cn")
    assert len(reports) + len(problems) == len(rows)


@pytest.mark.parametrize(
    ("written", "ticker"),
    [
        ("300413", "300413.SZ"),
        ("603444", "603444.SS"),
        ("SH603444", "603444.SS"),
        ("603444.SH", "603444.SS"),
        ("920982", "920982.BJ"),  # Beijing: the same board rule as the listings directory
        ("700.HK", "0700.HK"),
    ],
)
def test_a_results_file_writes_tickers_as_the_reference_does(written: str, ticker: str) -> None:
    from radar_earnings.domain.cn_fields import ticker as read_ticker

    assert read_ticker(written) == ticker
