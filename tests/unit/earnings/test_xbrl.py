"""SEC XBRL companyfacts (real recorded responses) to quarterly and annual reports."""

import json
from pathlib import Path
from typing import Any

import pytest

from radar_earnings.domain.xbrl import parse_companyfacts
from radar_schemas import EarningsReported
from radar_schemas.earnings import MetricName

REVENUE, EPS = MetricName.REVENUE, MetricName.EPS_DILUTED
EDGAR = Path(__file__).parents[2] / "fixtures" / "earnings" / "edgar"


def load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EDGAR / name).read_text())
    return document


def by_label(
    reports: list[EarningsReported],
) -> dict[tuple[int | None, str | None], EarningsReported]:
    return {(r.fiscal_year, r.fiscal_period): r for r in reports}


def test_alphabet_quarters_match_the_filings() -> None:
    reports, problems = parse_companyfacts(
        load("CIK0001652044_alphabet_companyfacts_subset.json"), "GOOGL"
    )
    assert problems == []
    found = by_label(reports)
    # 10-Q figures: revenue in USD, diluted EPS in USD per share.
    for label, revenue, eps in [
        ((2025, "Q1"), 90_234e6, 2.81),
        ((2025, "Q2"), 96_428e6, 2.31),
        ((2025, "Q3"), 102_346e6, 2.87),
        ((2024, "Q3"), 88_268e6, 2.12),
    ]:
        report = found[label]
        assert report.metrics[REVENUE].actual == revenue
        assert report.metrics[EPS].actual == eps
        assert report.company.ticker == "GOOGL" and report.company.cik == "0001652044"
    q3 = found[(2025, "Q3")]
    assert q3.period_end is not None and q3.period_end.isoformat() == "2025-09-30"
    assert q3.report_date.isoformat() == "2025-10-30" and q3.filing_id
    # Year over year: 102,346 / 88,268 − 1; quarter over quarter: 102,346 / 96,428 − 1.
    assert q3.metrics[REVENUE].yoy_growth_pct == pytest.approx(15.9492, abs=1e-4)
    assert q3.metrics[REVENUE].qoq_growth_pct == pytest.approx(6.1372, abs=1e-4)


def test_alphabet_q4_is_derived_from_the_annual_report() -> None:
    reports, _ = parse_companyfacts(load("CIK0001652044_alphabet_companyfacts_subset.json"))
    found = by_label(reports)
    q4, year = found[(2024, "Q4")], found[(2024, "FY")]
    quarters = sum(found[(2024, q)].metrics[REVENUE].actual or 0 for q in ("Q1", "Q2", "Q3"))
    assert year.metrics[REVENUE].actual == 350_018e6
    assert q4.metrics[REVENUE].actual == 350_018e6 - quarters == 96_469e6
    assert q4.metrics[REVENUE].derived is True
    assert EPS not in q4.metrics  # per-share figures are not additive: never derived
    assert q4.report_date == year.report_date


def test_nvidia_quarters_and_derived_q4() -> None:
    reports, problems = parse_companyfacts(load("CIK0001045810_nvidia_companyfacts_subset.json"))
    assert problems == []
    found = by_label(reports)
    for label, revenue, eps in [
        ((2026, "Q1"), 44_062e6, 0.76),
        ((2026, "Q2"), 46_743e6, 1.08),
        ((2026, "Q3"), 57_006e6, 1.30),
        ((2025, "Q3"), 35_082e6, 0.78),
    ]:
        assert found[label].metrics[REVENUE].actual == revenue
        assert found[label].metrics[EPS].actual == eps
    q4 = found[(2025, "Q4")]  # fiscal 2025 ended 2025-01-26
    assert q4.metrics[REVENUE].actual == 130_497e6 - (26_044e6 + 30_040e6 + 35_082e6)
    assert q4.metrics[REVENUE].derived and q4.period_end is not None
    assert q4.period_end.isoformat() == "2025-01-26"
    assert q4.company.ticker == "CIK0001045810"  # no ticker given: named by its CIK


def test_fallback_chain_reads_an_older_revenue_tag() -> None:
    found = by_label(parse_companyfacts(load("CIK0001045810_nvidia_companyfacts_subset.json"))[0])
    # Fiscal 2019 revenue (2018-01-29..2019-01-27) is not under Revenues in this file, only
    # under RevenueFromContractWithCustomerExcludingAssessedTax, next in the chain.
    assert found[(2019, "FY")].metrics[REVENUE].actual == 11_716e6


def test_ifrs_filer_with_a_string_cik_and_a_restatement() -> None:
    document = load("CIK0001997711_logistic_properties_ifrs_companyfacts_full.json")
    assert document["cik"] == "0001997711"
    reports, problems = parse_companyfacts(document)
    assert problems == []
    found = by_label(reports)
    assert sorted(found) == [(2021, "FY"), (2022, "FY"), (2023, "FY"), (2024, "FY")]
    fy2022 = found[(2022, "FY")].metrics[EPS]
    # First filed 0.048 (20-F for 2023), later 0.28 (20-F for 2024): a restatement.
    assert (fy2022.actual, fy2022.restated_actual) == (0.048, 0.28)
    assert found[(2024, "FY")].metrics[REVENUE].actual == 43_862_372
    assert found[(2024, "FY")].metrics[REVENUE].unit == "USD"
    assert found[(2024, "FY")].company.cik == "0001997711"


def test_a_document_without_figures_is_a_problem_not_a_crash() -> None:
    reports, problems = parse_companyfacts({"cik": 1, "entityName": "X", "facts": {"dei": {}}})
    assert reports == [] and problems == ["0000000001: no quarterly or annual figures found"]
    with pytest.raises(ValueError, match="companyfacts"):
        parse_companyfacts({"cik": 1})


def test_alphabet_stock_split_is_a_restatement_and_growth_compares_like_with_like() -> None:
    found = by_label(parse_companyfacts(load("CIK0001652044_alphabet_companyfacts_subset.json"))[0])
    q1_2022 = found[(2022, "Q1")].metrics[EPS]
    # Filed at $24.62 before the July 2022 20-for-1 split, shown at $1.23 in later filings.
    assert (q1_2022.actual, q1_2022.restated_actual) == (24.62, 1.23)
    # A year later the comparison is with $1.23 (as known then), not with $24.62.
    q1_2023 = found[(2023, "Q1")].metrics[EPS]
    assert q1_2023.actual == 1.17
    assert q1_2023.yoy_growth_pct == pytest.approx((1.17 / 1.23 - 1) * 100, abs=1e-4)
