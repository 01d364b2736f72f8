"""Feed documents (RSS, Atom, JSON Feed) to NewsItemIngested payloads."""

import calendar
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from radar_schemas import NewsItemIngested
from radar_schemas.base import MAX_TEXT_CHARS, MAX_TITLE_CHARS

from .feeds import FeedConfig
from .text import html_to_text


def item_id(guid: str | None, link: str | None, title: str, published: str) -> str:
    """Deterministic id: the guid, else the link, else title and date; hashed to a fixed size."""
    key = guid or link or f"{title}\n{published}"
    return "n-" + hashlib.sha256(key.encode()).hexdigest()[:24]


def _published(entry: Any, fetched_at: datetime) -> tuple[datetime, bool]:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(field)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC), False
    return fetched_at, True


def _text(entry: Any) -> str:
    content = entry.get("content") or []
    if content and content[0].get("value"):
        return html_to_text(content[0]["value"])
    return html_to_text(entry.get("summary") or "")


def parse_feed(
    content: bytes | str, feed: FeedConfig, fetched_at: datetime
) -> list[NewsItemIngested]:
    """Every item feedparser recovers from ``content``; a broken feed yields what it can."""
    parsed = feedparser.parse(content)
    language = feed.language or parsed.feed.get("language")
    return list(_items(parsed, feed, fetched_at, language))


def _items(
    parsed: Any, feed: FeedConfig, fetched_at: datetime, language: str | None
) -> Iterator[NewsItemIngested]:
    for entry in parsed.entries:
        title = html_to_text(entry.get("title") or "")[:MAX_TITLE_CHARS]
        text = _text(entry)[:MAX_TEXT_CHARS]
        if not title and not text:
            continue
        published_at, estimated = _published(entry, fetched_at)
        link = entry.get("link")
        yield NewsItemIngested(
            item_id=item_id(entry.get("id"), link, title, published_at.isoformat()),
            source=feed.name,
            title=title,
            text=text,
            url=link[:2048] if link else None,
            published_at=published_at,
            published_estimated=estimated,
            language=(entry.get("language") or language or None),
            credibility=feed.credibility,
        )
