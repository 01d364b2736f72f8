"""What each parser promises on any input: a result, or the project's own documented error
with a one-line message; never another exception. The fuzz targets and the regression corpus
both check inputs through these functions."""

import contextlib
from datetime import UTC, datetime
from typing import Any

from radar_earnings.domain.calendar import calendar_rows, parse_calendar
from radar_earnings.domain.documents import EarningsText, NotEarnings, read_earnings_text
from radar_earnings.domain.xbrl import parse_companyfacts
from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import ParsedFeed, parse_document
from radar_reference import load_companies
from radar_schemas import Envelope, SchemaError, decode

NOW = datetime(2026, 11, 26, tzinfo=UTC)
FEED = FeedConfig(name="fuzz", url="x")
COMPANIES = load_companies()


def one_line(text: str) -> None:
    assert isinstance(text, str) and "\n" not in text, text[:500]


def feed(content: bytes) -> ParsedFeed:
    """parse_document: items and problems, never an exception (its docstring's promise)."""
    parsed = parse_document(content, FEED, NOW)
    assert isinstance(parsed, ParsedFeed)
    assert all(isinstance(problem, str) for problem in parsed.problems)
    return parsed


def calendar_file(raw: bytes, suffix: str) -> None:
    """calendar_rows: rows, or ValueError (one line); then parse_calendar never raises."""
    try:
        rows = calendar_rows(raw, suffix)
    except ValueError as exc:
        one_line(str(exc))
        return
    calendar(rows)


def calendar(rows: list[Any]) -> None:
    """parse_calendar: reports and one rejection line per other row, never an exception."""
    reports, problems = parse_calendar(rows, "fuzz")
    assert len(reports) + len(problems) == len(rows)
    for problem in problems:
        one_line(problem)


def companyfacts(document: Any) -> None:
    """parse_companyfacts: reports and one-line problems, or ValueError (one line)."""
    try:
        _, problems = parse_companyfacts(document)
    except ValueError as exc:
        one_line(str(exc))
        return
    for problem in problems:
        one_line(problem)


def earnings_text(raw: str) -> None:
    """read_earnings_text: a document (and maybe a report), or NotEarnings."""
    try:
        read_earnings_text(raw, EarningsText("fuzz.txt", NOW), COMPANIES)
    except NotEarnings as exc:
        one_line(str(exc))


def envelope(fields: dict[str, str]) -> None:
    """radar_schemas.decode: an Envelope, or SchemaError."""
    with contextlib.suppress(SchemaError):
        assert isinstance(decode(fields), Envelope)
