"""Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to NewsItemIngested payloads.

Broken documents yield what can be recovered; what went wrong is reported as problems,
never raised."""

import calendar
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.sax import SAXParseException

import feedparser
from pydantic import ValidationError

from radar_schemas import NewsItemIngested
from radar_schemas.base import MAX_TEXT_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS

from . import safexml
from .encoding import undeclared_to_utf8
from .feeds import FeedConfig
from .jsonfeed import JsonFeed, looks_like_json, parse_date, parse_json_feed
from .text import html_to_text, plain_text, without_footer
from .urls import canonical_url, resolve

safexml.install()  # before any feed reaches expat
# The XML declaration, dropped for a second try when feedparser fails on it (a flipped byte
# in the encoding name raised UnicodeDecodeError before any parsing).
_XML_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]{0,200}>")


@dataclass(frozen=True)
class RawEntry:
    """An entry as a feed format gives it, before normalising."""

    guid: str | None
    link: str | None
    title_html: str
    body: str
    published: datetime | None
    language: str | None = None
    published_day_only: bool = False  # the feed gave a date without a time
    body_is_text: bool = False  # plain text (JSON Feed content_text), not markup


@dataclass
class ParsedFeed:
    """Items recovered from one document, and the problems met on the way."""

    items: list[NewsItemIngested] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def item_id(guid: str | None, link: str | None, title: str, published: str) -> str:
    """Deterministic id: the guid, else the link, else title and date; hashed to a fixed size."""
    key = guid or link or f"{title}\n{published}"
    return "n-" + hashlib.sha256(key.encode()).hexdigest()[:24]


def parse_document(
    content: bytes, feed: FeedConfig, fetched_at: datetime, base_url: str | None = None
) -> ParsedFeed:
    """Every item recoverable from ``content``. Relative links resolve against xml:base,
    else ``base_url`` (the URL the document was fetched from)."""
    if base_url is None and "://" in feed.url:
        base_url = feed.url
    result = ParsedFeed()
    read = _json_entries if looks_like_json(content) else _feedparser_entries
    entries = read(content, base_url, result.problems)
    for entry in entries.entries:
        try:
            item = normalise(
                entry, feed, fetched_at, feed.language or entries.language, entries.base_url
            )
        except ValueError as exc:  # a field the schema refuses, text that cannot be encoded
            result.problems.append(f"entry skipped: {_one_line(exc)}")
            continue
        if item is not None:
            result.items.append(item)
    return result


def parse_feed(
    content: bytes | str, feed: FeedConfig, fetched_at: datetime
) -> list[NewsItemIngested]:
    """The items of ``content`` (problems dropped): for callers that only want items."""
    data = content.encode() if isinstance(content, str) else content
    return parse_document(data, feed, fetched_at).items


def normalise(
    entry: RawEntry,
    feed: FeedConfig,
    fetched_at: datetime,
    language: str | None,
    base_url: str | None,
) -> NewsItemIngested | None:
    """One entry as a NewsItemIngested, or None when it has no title, text or link."""
    title = html_to_text(entry.title_html)[:MAX_TITLE_CHARS]
    body = plain_text(entry.body) if entry.body_is_text else html_to_text(entry.body)
    text = without_footer(body, title)[:MAX_TEXT_CHARS]
    if not title and not text and not entry.link:
        return None
    published_at = entry.published or fetched_at
    url = _url(entry.link, base_url)
    return NewsItemIngested(
        item_id=item_id(_guid_key(entry.guid, feed), url, title, _date_key(entry, text)),
        source=feed.name,
        title=title,
        text=text,
        url=url,
        published_at=published_at,
        published_estimated=entry.published is None,
        published_day_only=entry.published is not None and entry.published_day_only,
        language=(entry.language or language or None),
        credibility=feed.credibility,
    )


def _url(link: str | None, base_url: str | None) -> str | None:
    """The canonical absolute link; None when there is none or it is not a valid URL (a bad
    port, a broken IPv6 host): the item is kept without it."""
    if not link:
        return None
    try:
        url = canonical_url(resolve(link, base_url))
    except ValueError:
        return None
    return url if len(url) <= MAX_URL_CHARS else None


def _one_line(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        return f"{where}: {error['msg']}" if where else str(error["msg"])
    return f"{type(exc).__name__}: {exc}"


def _date_key(entry: RawEntry, text: str) -> str:
    """The date part of a fallback id; an undated item is keyed by its text instead of the
    fetch time, which changes on every poll."""
    return entry.published.isoformat() if entry.published else f"undated\n{text}"


def _guid_key(guid: str | None, feed: FeedConfig) -> str | None:
    """Guids that are URIs (``http:``, ``tag:``, ``urn:``) are global; bare ones such as
    ``"2"`` only mean something within their feed."""
    if not guid or not guid.strip():
        return None
    guid = guid.strip()
    return guid if ":" in guid else f"{feed.name}/{guid}"


@dataclass
class _Entries:
    entries: list[RawEntry]
    language: str | None
    base_url: str | None


def _feedparser_entries(content: bytes, base_url: str | None, problems: list[str]) -> _Entries:
    headers = {"content-location": base_url} if base_url else {}
    content, sniffed = undeclared_to_utf8(content)
    if sniffed:
        problems.append(f"encoding not declared and not UTF-8: read as {sniffed} (detected)")
    parsed = _feedparser_parse(content, headers, problems)
    if parsed is None:
        return _Entries([], None, base_url)
    bozo = parsed.bozo_exception if parsed.get("bozo") else None
    error = _described(bozo) if bozo is not None else ""
    if not parsed.entries and not parsed.get("version"):  # plain text, an HTML page, bad XML
        problems.append(f"neither RSS nor Atom ({error})" if error else "neither RSS nor Atom")
    elif error:
        problems.append(error)
    for link in parsed.feed.get("links") or []:
        # A document read from a file has no URL: its own rel="self" link stands in.
        if base_url is None and link.get("rel") == "self" and "://" in (link.get("href") or ""):
            base_url = link["href"]
    return _Entries(
        [_from_feedparser(e) for e in parsed.entries], parsed.feed.get("language"), base_url
    )


def _described(error: Exception) -> str:
    """feedparser's complaint in words: bad XML says where ("XML not well-formed at line 2,
    column 58: no element found"), anything else names its kind."""
    if isinstance(error, SAXParseException):
        return (
            f"XML not well-formed at line {error.getLineNumber()}, column "
            f"{error.getColumnNumber()}: {error.getMessage()}"
        )
    return f"{type(error).__name__}: {error}"


def _feedparser_parse(content: bytes, headers: dict[str, str], problems: list[str]) -> Any:
    """feedparser's result, or None. Its strict pass falls back to its loose one on any error
    (safexml); what fails before or after that, such as reading the XML declaration, is
    retried once without the declaration, so that the encoding is sniffed instead."""
    without_declaration = _XML_DECLARATION.sub(b"", content, count=1)
    attempts = (content, without_declaration) if without_declaration != content else (content,)
    for attempt in attempts:
        try:
            return feedparser.parse(attempt, response_headers=headers)
        except Exception as exc:  # third-party code on hostile bytes: report, never raise
            problems.append(f"feedparser failed: {type(exc).__name__}: {exc}")
    return None


def _from_feedparser(entry: Any) -> RawEntry:
    content = entry.get("content") or []
    body = content[0].get("value") if content and content[0].get("value") else None
    return RawEntry(
        guid=entry.get("id"),
        link=entry.get("link"),
        title_html=entry.get("title") or "",
        body=body or entry.get("summary") or "",
        published=_struct_time(entry),
        language=(content[0].get("language") if content else None) or None,
        published_day_only=day_only(_date_text(entry)),
    )


_DATES = ("published", "updated", "created")
# A time of day as dates write it: "T09:30", " 09:30", "9:30:00".
_TIME_OF_DAY = re.compile(r"(?:^|[T\s])\d{1,2}:\d{2}")


def day_only(value: str | None) -> bool:
    """Whether a date string that parses gives the day alone, no time of day
    ("2025-11-07", "Fri, 07 Nov 2025"): its time is then the day's 00:00 UTC, not a moment."""
    return bool(value and value.strip()) and not _TIME_OF_DAY.search(value or "")


def _struct_time(entry: Any) -> datetime | None:
    for name in _DATES:
        # dict.get: feedparser's own get maps a missing updated_parsed to published_parsed,
        # read just before, with a DeprecationWarning.
        parsed = dict.get(entry, f"{name}_parsed")
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None


def _date_text(entry: Any) -> str | None:
    """The date as the feed wrote it, of the field _struct_time read."""
    for name in _DATES:
        if dict.get(entry, f"{name}_parsed"):
            text = dict.get(entry, name)
            return text if isinstance(text, str) else None
    return None


def _json_entries(content: bytes, base_url: str | None, problems: list[str]) -> _Entries:
    try:
        document = parse_json_feed(content)
    except ValueError as exc:  # not JSON, nested too deep, not a JSON Feed: one line each
        problems.append(str(exc))
        return _Entries([], None, base_url)
    if "jsonfeed.org" not in document.version:
        problems.append(f"not a JSON Feed version: {document.version!r}")
    base_url = base_url or document.feed_url or document.home_page_url
    return _Entries(list(_from_json_feed(document)), document.language, base_url)


def _from_json_feed(document: JsonFeed) -> Iterator[RawEntry]:
    for item in document.items:
        body = item.content_html or item.content_text or item.summary or ""
        published = parse_date(item.date_published)
        dated_by = item.date_published if published else item.date_modified
        yield RawEntry(
            guid=None if item.id is None else str(item.id),
            link=item.url or item.external_url,
            title_html=item.title or "",
            body=body,
            body_is_text=not item.content_html,
            published=published or parse_date(item.date_modified),
            language=item.language,
            published_day_only=day_only(dated_by),
        )
