"""A feed that dates an entry with a day alone: the item says so (published_day_only), so
that its time (that day's 00:00 UTC) is not shown as a moment of publication."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar_cli.jsonlines import news_from_jsonl
from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import day_only, parse_feed

FEEDS = Path(__file__).parents[2] / "fixtures/feeds"
EVAL = Path(__file__).parents[2] / "fixtures/eval"
NOW = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("2025-11-07", True),
        ("Fri, 07 Nov 2025", True),
        ("2025-11-07T09:30:00Z", False),
        ("2025-11-07 09:30", False),
        ("Sun, 17 Dec 2023 00:58:40 -0500", False),
        ("Sat, Dec 16 2023 02:02:33 PM", False),
        ("", False),
        (None, False),
    ],
)
def test_a_date_without_a_time_of_day(text: str | None, alone: bool) -> None:
    assert day_only(text) is alone


def _with_dates(name: str, pattern: str, replacement: str) -> bytes:
    """A real feed of the fixtures with its entries' dates rewritten."""
    return re.sub(pattern, replacement, (FEEDS / name).read_text(encoding="utf-8")).encode()


def test_a_json_feed_item_dated_by_day() -> None:
    feed = FeedConfig(name="f", url="https://example.org/feed.json")
    original = parse_feed((FEEDS / "feed-rs__jsonfeed_spec_1.json").read_bytes(), feed, NOW)
    assert original and not any(i.published_day_only for i in original)
    rewritten = _with_dates(
        "feed-rs__jsonfeed_spec_1.json",
        r'"date_published": "(\d{4}-\d\d-\d\d)T[^"]*"',
        r'"date_published": "\1"',
    )
    items = parse_feed(rewritten, feed, NOW)
    assert items and all(i.published_day_only and not i.published_estimated for i in items)
    assert items[0].published_at == datetime(2017, 5, 17, tzinfo=UTC)


def test_an_rss_item_dated_by_day() -> None:
    feed = FeedConfig(name="f", url="https://example.org/rss")
    original = parse_feed((FEEDS / "rss-parser__craigslist.rss").read_bytes(), feed, NOW)
    assert original and not any(i.published_day_only for i in original)
    rewritten = _with_dates(
        "rss-parser__craigslist.rss", r">(\d{4}-\d\d-\d\d)T[^<]*<", r">\1<"
    )  # dc:date and dcterms:issued
    items = parse_feed(rewritten, feed, NOW)
    assert items and all(i.published_day_only for i in items)
    assert {i.published_at.time().isoformat() for i in items} == {"00:00:00"}


def test_labelled_lines_dated_by_day_say_so() -> None:
    # dev.jsonl has items dated "2025-11-07" as well as full timestamps
    items, _ = news_from_jsonl(EVAL / "dev.jsonl", "dev")
    by_day = [i for i in items if i.published_day_only]
    timed = [i for i in items if not i.published_day_only and not i.published_estimated]
    assert by_day and timed
    assert all(i.published_at.time().isoformat() == "00:00:00" for i in by_day)
