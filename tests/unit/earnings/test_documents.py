"""Earnings press releases and call transcripts (real filings) as documents for the tagger."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar_earnings.domain.documents import (
    EarningsText,
    NotEarnings,
    earnings_document,
    read_earnings_text,
)
from radar_earnings.domain.fiscal import fiscal_quarter
from radar_reference import load_companies
from radar_schemas import DocumentKind, NewsItemIngested
from radar_schemas.earnings import MetricName

EARNINGS = Path(__file__).parents[2] / "fixtures" / "earnings"
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
COMPANIES = load_companies()


def document(relative: str) -> NewsItemIngested:
    path = EARNINGS / relative
    return earnings_document(path.read_text(), EarningsText(path.name, FETCHED), COMPANIES)


@pytest.mark.parametrize("name", ["EX-99.1_Q1FY2023.htm", "EX-99.1_Q1FY2023.txt"])
def test_adobe_release_is_a_document_for_fiscal_q1_2023(name: str) -> None:
    item = document(f"press_releases/adobe_8-K_2023-03-15_{name}")
    assert item.kind is DocumentKind.PRESS_RELEASE
    assert item.tickers == ("ADBE",)
    assert item.title == "Adobe (ADBE) Q1 fiscal 2023 earnings release"
    assert item.story_id == "earnings:ADBE:2023Q1"
    assert item.published_at == datetime(2023, 3, 15, tzinfo=UTC)
    text = item.text
    assert "revenue of $4.66 billion" in text and "<font" not in text


def test_html_and_text_of_one_release_link_to_the_same_period() -> None:
    html = document("press_releases/adobe_8-K_2023-03-15_EX-99.1_Q1FY2023.htm")
    text = document("press_releases/adobe_8-K_2023-03-15_EX-99.1_Q1FY2023.txt")
    assert html.story_id == text.story_id


def test_meta_8k_about_a_director_is_not_an_earnings_release() -> None:
    with pytest.raises(NotEarnings, match=r"items 5\.02, none of them 2\.02"):
        document("press_releases/meta_8-K_2025-12-19_item5.02_NON_EARNINGS.txt")


def test_a_filing_header_alone_is_rejected() -> None:
    with pytest.raises(NotEarnings):
        document("press_releases/adobe_8-K_2023-03-15_sec_header.txt")


def test_sec_header_gives_the_company_and_the_acceptance_time() -> None:
    header = (EARNINGS / "press_releases/adobe_8-K_2023-03-15_sec_header.txt").read_text()
    body = "Document\nExhibit 99.1\nThe company reported results for its Q1 fiscal 2023."
    item = earnings_document(header + body, EarningsText("x", FETCHED), COMPANIES)
    assert item.tickers == ("ADBE",)
    # 16:06:36 Eastern (EDT from March 12, 2023) is 20:06:36 UTC.
    assert item.published_at == datetime(2023, 3, 15, 20, 6, 36, tzinfo=UTC)


def test_apple_item_202_cover_names_its_fourth_fiscal_quarter() -> None:
    item = document("press_releases/apple_8-K_2024-10-31_item2.02_cover.md")
    assert item.tickers == ("AAPL",)
    assert item.story_id == "earnings:AAPL:2024Q4"


@pytest.mark.parametrize(
    ("name", "ticker"),
    [("GOOGL_2025Q3_earnings_call.md", "GOOGL"), ("U_2025Q3_earnings_call.md", "U")],
)
def test_transcripts_are_documents_for_q3_2025(name: str, ticker: str) -> None:
    item = document(f"transcripts/{name}")
    assert item.kind is DocumentKind.TRANSCRIPT
    assert item.tickers == (ticker,)
    assert item.story_id == f"earnings:{ticker}:2025Q3"
    assert "transcript" in item.title


def test_alphabet_transcript_without_a_date_uses_the_fetch_time() -> None:
    item = document("transcripts/GOOGL_2025Q3_earnings_call.md")
    assert (item.published_at, item.published_estimated) == (FETCHED, True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Adobe Reports Record Revenue in Q1 Fiscal 2023", (2023, "Q1")),
        ("results for its first quarter fiscal year 2023 ended March 3", (2023, "Q1")),
        ("Welcome to the Alphabet Third Quarter 2025 Earnings Call", (2025, "Q3")),
        ("fiscal 2024 second quarter results", (2024, "Q2")),
        ("its fourth fiscal quarter ended September 28, 2024", (2024, "Q4")),
        ("Q4 FY2024 and then Q1 2025", (2024, "Q4")),
        ("no period here", None),
    ],
)
def test_fiscal_quarter(text: str, expected: tuple[int, str] | None) -> None:
    assert fiscal_quarter(text) == expected


@pytest.mark.parametrize("name", ["EX-99.1_Q1FY2023.htm", "EX-99.1_Q1FY2023.txt"])
def test_adobe_release_states_gaap_figures_and_targets(name: str) -> None:
    path = EARNINGS / f"press_releases/adobe_8-K_2023-03-15_{name}"
    report = read_earnings_text(
        path.read_text(), EarningsText(path.name, FETCHED), COMPANIES
    ).report
    assert report is not None
    assert (report.company.ticker, report.fiscal_year, report.fiscal_period) == ("ADBE", 2023, "Q1")
    actuals = {name: metric.actual for name, metric in report.metrics.items()}
    # "revenue of $4.66 billion", "Diluted earnings per share was $2.71 on a GAAP basis and
    # $3.80 on a non-GAAP basis", "GAAP net income was $1.25 billion and non-GAAP ... $1.75".
    assert actuals == {
        MetricName.REVENUE: 4.66e9,
        MetricName.EPS_DILUTED: 2.71,
        MetricName.NET_INCOME: 1.25e9,
        MetricName.OPERATING_INCOME: 1.59e9,
    }
    targets = {(g.metric, g.period): (g.low, g.high) for g in report.guidance}
    assert targets == {
        (MetricName.EPS_DILUTED, "FY2023"): (10.85, 11.15),
        (MetricName.REVENUE, "Q2 FY2023"): (4.75e9, 4.78e9),
        (MetricName.EPS_DILUTED, "Q2 FY2023"): (2.65, 2.70),
    }


def test_transcripts_and_rejections_yield_no_report() -> None:
    path = EARNINGS / "transcripts/GOOGL_2025Q3_earnings_call.md"
    meta = EarningsText(path.name, FETCHED)
    assert read_earnings_text(path.read_text(), meta, COMPANIES).report is None
    with pytest.raises(NotEarnings):
        meta_8k = EARNINGS / "press_releases/meta_8-K_2025-12-19_item5.02_NON_EARNINGS.txt"
        read_earnings_text(meta_8k.read_text(), meta, COMPANIES)
