"""Exact duplicates, updates and story chains against a real Redis."""

from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from radar_news.adapters.state import Known, NewsState, Record
from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import parse_document
from radar_news.ingest import Ingest
from radar_runtime import RuntimeMetrics, RuntimeSettings
from radar_runtime.service import Runtime
from radar_schemas import EventType, NewsItemIngested, Streams

from ..support.messages import read_all
from ..unit.news.test_identity import OTHER, REWORDED, STORY

NOW = datetime(2026, 11, 26, 9, tzinfo=UTC)


def rss(*items: tuple[str, str, str]) -> bytes:
    """An RSS document with ``(guid, title, text)`` items."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><description>{text}</description>"
        f"<link>{guid}</link><pubDate>Wed, 20 Nov 2024 21:30:00 +0000</pubDate></item>"
        for guid, title, text in items
    )
    return f'<rss version="2.0"><channel><title>f</title>{body}</channel></rss>'.encode()


def parsed(feed: str, document: bytes) -> list[NewsItemIngested]:
    return parse_document(document, FeedConfig(name=feed, url="x"), NOW).items


def make_ingest(redis: Redis, prefix: str) -> Ingest:
    runtime = Runtime("news", RuntimeSettings(stream_prefix=prefix), redis, RuntimeMetrics())
    return Ingest(runtime, NewsState(redis, prefix, 3600))


WIRE = rss(("https://wire.example/nvidia", *STORY), ("https://wire.example/daseke", *OTHER))
DAILY = rss(("https://daily.example/nvidia-record", *REWORDED))


async def test_reworded_copies_from_two_feeds_share_a_story(
    redis: Redis, prefix: str, streams: Streams
) -> None:
    ingest = make_ingest(redis, prefix)
    assert await ingest.ingest(parsed("wire", WIRE), NOW) == {
        "new": 2,
        "duplicate": 0,
        "near_duplicate": 0,
        "updated": 0,
    }
    counts = await ingest.ingest(parsed("daily", DAILY), NOW + timedelta(hours=1))
    assert counts["near_duplicate"] == 1
    story, other, copy = (e.payload for e in await read_all(redis, streams.news))
    assert copy.source == "daily" and copy.story_id == story.story_id
    assert (story.novelty, copy.novelty) == (100, 75)
    assert other.story_id != story.story_id and other.novelty == 100


async def test_same_feed_twice_and_across_feeds_emits_each_item_once(
    redis: Redis, prefix: str, streams: Streams
) -> None:
    ingest = make_ingest(redis, prefix)
    await ingest.ingest(parsed("wire", WIRE), NOW)
    again = await ingest.ingest(parsed("wire", WIRE), NOW)
    mirror = await ingest.ingest(parsed("mirror", WIRE), NOW)  # same guids, another feed
    assert again["duplicate"] == mirror["duplicate"] == 2
    assert len(await read_all(redis, streams.news)) == 2


async def test_changed_content_under_a_known_guid_is_an_update(
    redis: Redis, prefix: str, streams: Streams
) -> None:
    ingest = make_ingest(redis, prefix)
    await ingest.ingest(parsed("wire", WIRE), NOW)
    revised = rss(("https://wire.example/nvidia", STORY[0] + " (updated)", STORY[1]))
    assert (await ingest.ingest(parsed("wire", revised), NOW))["updated"] == 1
    assert (await ingest.ingest(parsed("wire", revised), NOW))["duplicate"] == 1
    events = await read_all(redis, streams.news)
    assert [e.event_type for e in events] == [
        EventType.NEWS_INGESTED,
        EventType.NEWS_INGESTED,
        EventType.NEWS_UPDATED,
    ]
    first, update = events[0].payload, events[2].payload
    assert update.item_id == first.item_id and update.story_id == first.story_id
    assert update.title.endswith("(updated)")


async def test_a_chain_silent_for_a_day_starts_anew(
    redis: Redis, prefix: str, streams: Streams
) -> None:
    ingest = make_ingest(redis, prefix)
    await ingest.ingest(parsed("wire", WIRE), NOW)
    await ingest.ingest(parsed("daily", DAILY), NOW + timedelta(hours=25))
    story, _, copy = (e.payload for e in await read_all(redis, streams.news))
    assert copy.story_id != story.story_id and copy.novelty == 100


async def test_copies_within_one_poll_chain_and_a_repeated_guid_counts_once(
    redis: Redis, prefix: str, streams: Streams
) -> None:
    document = rss(
        ("https://wire.example/nvidia", *STORY),
        ("https://daily.example/nvidia-record", *REWORDED),
        ("https://wire.example/nvidia", *STORY),
    )
    counts = await make_ingest(redis, prefix).ingest(parsed("wire", document), NOW)
    assert counts == {"new": 1, "duplicate": 1, "near_duplicate": 1, "updated": 0}
    story, copy = (e.payload for e in await read_all(redis, streams.news))
    assert copy.story_id == story.story_id and (story.novelty, copy.novelty) == (100, 75)


async def test_a_poll_larger_than_a_chunk_keeps_every_item_and_chain(
    redis: Redis, prefix: str, streams: Streams
) -> None:
    """Chains reach across chunk boundaries: the copy after the 600th item still joins."""
    filler = [(f"https://wire.example/{i}", f"Item {i}", f"text {i}") for i in range(600)]
    document = rss(
        ("https://wire.example/nvidia", *STORY),
        *filler,
        ("https://daily.example/nvidia-record", *REWORDED),
    )
    counts = await make_ingest(redis, prefix).ingest(parsed("wire", document), NOW)
    assert counts["new"] == 601 and counts["near_duplicate"] == 1
    events = [e.payload for e in await read_all(redis, streams.news)]
    assert len(events) == 602 and events[-1].story_id == events[0].story_id
    assert events[-1].novelty == 75


async def test_a_chunk_written_twice_is_published_and_counted_once(
    redis: Redis, prefix: str, streams: Streams
) -> None:
    """Two replicas that decided the same poll from the same state: the second adds nothing."""
    state = NewsState(redis, prefix, 3600)
    items = parsed("wire", WIRE)
    records = [
        Record(i.item_id, Known("d-" + i.item_id, "s-story", 100), None, True) for i in items
    ]
    entries = [{"event_id": i.item_id, "data": "{}"} for i in items]
    assert await state.publish(streams.news, entries, records, NOW) == 2
    assert await state.publish(streams.news, entries, records, NOW) == 0
    assert await redis.xlen(streams.news) == 2
    assert (await state.chains(["s-story"]))["s-story"].size == 2
