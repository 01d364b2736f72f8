"""Fuzzing earnings parsing: calendars as CSV and JSON, SEC companyfacts with every level's
type and value varied, and press-release and transcript texts."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from . import contracts
from .budget import FUZZ

EARNINGS = Path(__file__).parents[2] / "fixtures" / "earnings"
CALENDAR_FIELDS = [
    "symbol", "date", "eps", "epsEstimated", "time", "revenue", "revenueEstimated",
    "fiscalDateEnding",
]  # fmt: skip
DATES = st.dates().map(str) | st.sampled_from(["2025-02-30", "", "9999-12-31", "0001-01-01"])
NUMBERS = (
    st.integers()
    | st.integers(-(10**400), 10**400)  # past float's range
    | st.floats()
    | st.integers(-(10**400), 10**400).map(str)
    | st.sampled_from(["1e999", "nan", "-0", "1,5", "--"])
)
SCALARS = st.none() | st.booleans() | NUMBERS | DATES | st.text(max_size=30) | st.text(min_size=129)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)


JSON = st.recursive(SCALARS, _containers, max_leaves=12)
CELL = st.text(alphabet=st.sampled_from('ab1.-,"\r\n\x00 \t\ufeff'), max_size=12) | NUMBERS.map(str)


@st.composite
def csv_calendars(draw: st.DrawFn) -> str:
    header = draw(st.lists(st.sampled_from(CALENDAR_FIELDS) | CELL, min_size=1, max_size=9))
    rows = draw(st.lists(st.lists(CELL | DATES, max_size=10), max_size=8))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return draw(st.sampled_from(["", "\ufeff"])) + newline.join(lines)


ROWS = st.lists(
    st.dictionaries(st.sampled_from(CALENDAR_FIELDS), SCALARS | JSON, max_size=8) | JSON,
    max_size=8,
)


@FUZZ
@given(csv_calendars())
def test_csv_calendars(text: str) -> None:
    contracts.calendar_file(text.encode("utf-8", errors="surrogatepass"), ".csv")


@FUZZ
@given(ROWS | JSON)
def test_json_calendars(rows: Any) -> None:
    contracts.calendar_file(json.dumps(rows).encode(), ".json")
    if isinstance(rows, list):
        contracts.calendar(rows)


@FUZZ
@given(st.binary(max_size=300), st.sampled_from([".csv", ".json", ".CSV", ""]))
def test_calendar_bytes(raw: bytes, suffix: str) -> None:
    contracts.calendar_file(raw, suffix)


EXTREMES = st.floats(allow_nan=False) | st.sampled_from([1.7e308, -1.7e308, 1e-300, 0.0])


@FUZZ
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "symbol": st.sampled_from(["A", "B"]),
                "date": st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 3, 1)).map(str),
                "eps": EXTREMES,
                "epsEstimated": EXTREMES,
                "revenue": EXTREMES,
                "revenueEstimated": EXTREMES,
            }
        ),
        max_size=24,
    )
)
def test_calendar_histories_of_extreme_figures(rows: list[Any]) -> None:
    """Many rows of few companies: surprises are standardized against earlier ones."""
    contracts.calendar(rows)


def maybe(draw: st.DrawFn, proper: Any) -> Any:
    """``proper`` mostly, else any JSON value in its place: a level of the wrong type."""
    return proper if draw(st.integers(0, 9)) else draw(JSON)


@st.composite
def facts(draw: st.DrawFn) -> dict[str, Any]:
    start, end, filed = draw(DATES), draw(DATES), draw(DATES)
    fact = {
        "start": start, "end": end, "filed": filed, "val": draw(NUMBERS),
        "accn": draw(st.text(max_size=5)), "fy": draw(st.integers(-5, 10**12) | SCALARS),
        "fp": draw(st.sampled_from(["Q1", "Q2", "Q3", "Q4", "FY", "H1"]) | SCALARS),
    }  # fmt: skip
    return {key: maybe(draw, value) for key, value in fact.items() if draw(st.integers(0, 15))}


# Real facts of one concept (Nvidia's revenue), so that periods, labels and Q4 are reached.
REAL_FACTS: list[dict[str, Any]] = json.loads(
    (EARNINGS / "edgar/CIK0001045810_nvidia_companyfacts_subset.json").read_text()
)["facts"]["us-gaap"]["Revenues"]["units"]["USD"][:40]


@st.composite
def companyfacts(draw: st.DrawFn) -> Any:
    concepts = st.sampled_from(
        ["Revenues", "NetIncomeLoss", "EarningsPerShareDiluted", "GrossProfit", "Revenue", "X"]
    )
    real = draw(st.lists(st.sampled_from(REAL_FACTS), max_size=12))
    taxonomy = {
        draw(concepts): maybe(
            draw,
            {
                "units": maybe(
                    draw,
                    {
                        draw(st.sampled_from(["USD", "USD/shares", "x"])): maybe(
                            draw, real + draw(st.lists(facts(), max_size=6))
                        )
                    },
                )
            },
        )
        for _ in range(draw(st.integers(0, 4)))
    }
    document = {
        "cik": maybe(draw, draw(st.integers(-1, 10**11) | st.text(max_size=12))),
        "entityName": maybe(draw, draw(st.text(max_size=150))),
        "facts": maybe(
            draw, {draw(st.sampled_from(["us-gaap", "ifrs-full", "dei"])): maybe(draw, taxonomy)}
        ),
    }
    return maybe(draw, document)


@FUZZ
@given(companyfacts())
def test_companyfacts(document: Any) -> None:
    contracts.companyfacts(document)


# Phrases the release and transcript readers look for, and the shapes around them.
PHRASES = [
    "Adobe (ADBE) reports record revenue",
    "Apple Inc. (NASDAQ: AAPL)",
    "Q1 fiscal 2023", "Q4 FY2099", "third quarter of 1066", "fiscal 2024 first quarter",
    "fourth fiscal quarter ended September 28, 2024",
    "February 30, 2023", "March 15, 2023",
    "Revenue of $4.66 billion", "revenues were $" + "9" * 400,
    "GAAP net income was $1.25 billion", "Diluted earnings per share was $2.71 on a GAAP basis",
    "second quarter fiscal year 2023 targets: Total revenue $4.75 billion to $4.78 billion "
    "Earnings per share GAAP: $2.65 to $2.70",
    "earnings conference call", "Operator", "Exhibit 99", "Item 2.02", "Item 5.02",
    "<SEC-HEADER>CENTRAL INDEX KEY: 0000796343\n<ACCEPTANCE-DATETIME>20231399999999</SEC-HEADER>",
    "<SEC-HEADER><ACCEPTANCE-DATETIME>20230315161000</SEC-HEADER>",
    "<html><body><p>", "<table><tr><td>", "<font>", "</p>", "<br>", "<![x[", "&nbsp;", "\x00",
]  # fmt: skip


@FUZZ
@given(st.lists(st.sampled_from(PHRASES) | st.text(max_size=40), max_size=14))
def test_release_and_transcript_texts(parts: list[str]) -> None:
    contracts.earnings_text(" ".join(parts))
