"""``radar replay`` against the services' own ingest, on a real Redis: the same real input,
once through the service's poll path and once through ``radar replay`` (each into a prefix of
its own), gives the same events but for the envelope's ids, emit time and producer; and the
two de-duplicate under the same keys."""

import json
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from redis.asyncio import Redis

from radar_earnings.pollers import calendar_once
from radar_earnings.settings import EarningsSettings
from radar_news.adapters.fetch import Fetcher, make_client
from radar_news.app import Poller
from radar_news.domain.feeds import FeedConfig
from radar_news.ingest import news_ingest
from radar_news.metrics import NewsMetrics
from radar_runtime import Runtime, RuntimeMetrics, RuntimeSettings
from radar_schemas import Envelope, Streams
from radar_schemas.earnings import MetricName

from ..support.messages import read_all
from ..support.processes import service_env
from .test_cli import radar

# Fields that differ between any two publications of one event, and the producer, which
# says who published it (``news`` or ``earnings`` against ``replay``).
PER_PUBLICATION = {"event_id", "emitted_at", "producer"}


def comparable(event: Envelope[Any]) -> dict[str, Any]:
    """The event as JSON without what differs per publication; an undated item's time is
    the moment of its poll or replay, so only that it was estimated is kept."""
    data = event.model_dump(mode="json", exclude=PER_PUBLICATION)
    if data["payload"].get("published_estimated"):
        del data["occurred_at"], data["payload"]["published_at"]
    return data


def news_files(fixtures: Path, tmp_path: Path) -> list[Path]:
    """Every real feed of the fixtures, then a syndicated copy of one (the same entries
    under another publisher's links and ids), whose entries join the original's stories."""
    feeds = sorted((fixtures / "feeds").iterdir())
    heise = fixtures / "feeds/rss-parser__heise.atom"
    mirror = tmp_path / "mirror.atom"
    mirror.write_bytes(heise.read_bytes().replace(b"heise.de", b"mirror.example"))
    return [*feeds, mirror]


async def poll(redis: Redis, prefix: str, paths: list[Path]) -> None:
    """Each file polled once by the news service's poller, as a local feed named after it."""
    settings = RuntimeSettings(stream_prefix=prefix)
    rt = Runtime("news", settings, redis, RuntimeMetrics())
    async with make_client("Radar/test (contact: test@example.invalid)", 10) as client:
        poller = Poller(
            fetcher=Fetcher(client, 10),
            ingest=news_ingest(rt, 3600),
            metrics=NewsMetrics(CollectorRegistry(), [p.stem for p in paths]),
            min_interval_s=1,
        )
        try:
            for path in paths:
                assert await poller.poll_once(FeedConfig(name=path.stem, url=str(path))) is None
        finally:
            poller.parser.shutdown()


async def test_replayed_feeds_are_the_events_a_poll_of_them_gives(
    redis: Redis, redis_url: str, prefix: str, fixtures: Path, tmp_path: Path
) -> None:
    paths = news_files(fixtures, tmp_path)
    await poll(redis, f"{prefix}:live", paths)
    result = radar(
        service_env(redis_url, f"{prefix}:replay"), "replay", "--undated", "now", *map(str, paths)
    )
    # Feeds too broken to yield an item are named, and the rest published: exit 2.
    broken = {line.split(": ")[1] for line in result.stderr.splitlines() if "not a feed" in line}
    assert result.returncode == (2 if broken else 0), result.stderr
    assert all("illformed" in Path(name).name for name in broken), broken
    live = await read_all(redis, Streams(f"{prefix}:live").news)
    replayed = await read_all(redis, Streams(f"{prefix}:replay").news)
    assert [comparable(e) for e in replayed] == [comparable(e) for e in live]
    assert {e.producer for e in live} == {"news"} and {e.producer for e in replayed} == {"replay"}
    # Story chains and cross-feed duplicates were exercised, not merely both absent.
    mirrored = [e.payload for e in replayed if e.payload.source == "mirror"]
    assert mirrored and all(item.novelty == 75 for item in mirrored)
    assert all(item.story_id and not item.story_id.endswith(item.item_id) for item in mirrored)
    # One set of keys: a replay of what the service published publishes nothing.
    again = radar(
        service_env(redis_url, f"{prefix}:live"), "replay", "--undated", "now", *map(str, paths)
    )
    assert all(line.split()[4] == "0" for line in _summaries(again.stderr)), again.stderr
    assert await redis.xlen(Streams(f"{prefix}:live").news) == len(live)


def _summaries(stderr: str) -> list[str]:
    """The per-file lines: ``PATH: N KIND items, M published to STREAM (…)``."""
    return [line for line in stderr.splitlines() if " items, " in line and " published " in line]


def history_calendar(path: Path, calendar: Path) -> list[str]:
    """Eight earlier quarters of surprises for the companies of ``calendar`` that report EPS
    against an estimate, so that their SUE can be computed; returns those tickers."""
    rows = [r for r in json.loads(calendar.read_text()) if r.get("eps") is not None]
    tickers = sorted({r["symbol"] for r in rows if r.get("epsEstimated") is not None})[:3]
    surprises = [0.10, 0.20, 0.00, 0.10, 0.30, 0.20, 0.10, 0.20]
    ends = [f"{y}-{m}" for y in (2023, 2024) for m in ("03-31", "06-30", "09-30", "12-31")]
    past = [
        {"symbol": t, "date": end, "fiscalDateEnding": end, "eps": 1.0 + s,
         "epsEstimated": 1.0, "time": "amc"}
        for t in tickers for end, s in zip(ends, surprises, strict=True)
    ]  # fmt: skip
    path.write_text(json.dumps(past))
    return tickers


@pytest.mark.parametrize("suffix", ["json", "csv"])
async def test_replayed_calendars_get_the_surprise_history_a_poll_gives(
    redis: Redis, redis_url: str, prefix: str, fixtures: Path, tmp_path: Path, suffix: str
) -> None:
    calendar = fixtures / f"earnings/calendar_fmp_2025-05-09.{suffix}"
    past = tmp_path / "past.json"
    tickers = history_calendar(past, fixtures / "earnings/calendar_fmp_2025-05-09.json")
    settings = EarningsSettings(stream_prefix=f"{prefix}:live", calendar_files=[])
    rt = Runtime("earnings", settings, redis, RuntimeMetrics())
    for path in (past, calendar):
        await calendar_once(settings, path, rt)
    env = service_env(redis_url, f"{prefix}:replay")
    for path in (past, calendar):  # two runs: the second reads the history the first kept
        assert radar(env, "replay", str(path)).returncode == 0
    live = await read_all(redis, Streams(f"{prefix}:live").earnings)
    replayed = await read_all(redis, Streams(f"{prefix}:replay").earnings)
    assert [comparable(e) for e in replayed] == [comparable(e) for e in live]
    standardized = {
        e.payload.company.ticker
        for e in replayed
        if e.payload.source == calendar.stem
        and (eps := e.payload.metrics.get(MetricName.EPS)) is not None
        and eps.standardized
    }
    assert standardized == set(tickers)
    forced = radar(env, "replay", "--force", str(calendar))
    again = (await read_all(redis, Streams(f"{prefix}:replay").earnings))[len(replayed) :]
    assert f"{len(again)} published" in forced.stderr and again
    assert [comparable(e) for e in again] == [comparable(e) for e in live[-len(again) :]]


def json_lines(fixtures: Path, path: Path) -> list[dict[str, Any]]:
    """Real lines of both layouts (the dev set's link in ``source``, the labelled corpus's
    in ``url``), and a syndicated copy of a dev report whose link is in ``link``."""
    dev = [json.loads(line) for line in (fixtures / "eval/dev.jsonl").read_text().splitlines()]
    corpus = (fixtures / "eval/test.jsonl").read_text().splitlines()[:20]
    rows = dev + [json.loads(line) for line in corpus]
    original = next(row for row in dev if row["id"] == "90d6acc0d3")
    copy = {k: v for k, v in original.items() if k != "source"}
    rows.append({**copy, "id": "90d6acc0d3-copy", "link": "https://wire.example/meta-ads"})
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return rows


async def test_replayed_json_lines_keep_their_link_and_join_stories(
    redis: Redis, redis_url: str, streams: Streams, fixtures: Path, tmp_path: Path
) -> None:
    rows = json_lines(fixtures, tmp_path / "mixed.jsonl")
    path = str(tmp_path / "mixed.jsonl")
    result = radar(service_env(redis_url, streams.prefix), "replay", "--undated", "now", path)
    assert result.returncode == 0, result.stderr
    items = {e.payload.item_id: e.payload for e in await read_all(redis, streams.news)}
    assert len(items) == len(rows)
    for row in rows:
        link = next(
            (row[k] for k in ("url", "link", "source") if str(row.get(k)).startswith("http")),
            None,
        )
        assert items[row["id"]].url == link, row["id"]
    linked = [row for row in rows if str(row.get("source")).startswith("https://")]
    assert linked and all(items[r["id"]].source in r["source"] for r in linked)
    original, copy = items["90d6acc0d3"], items["90d6acc0d3-copy"]
    assert copy.story_id == original.story_id and (original.novelty, copy.novelty) == (100, 75)
    undated = [item for item in items.values() if item.published_estimated]
    assert undated and f"{len(undated)} undated items" in result.stderr


async def test_undated_items_are_left_out_unless_asked_for(
    redis: Redis, redis_url: str, streams: Streams, fixtures: Path, tmp_path: Path
) -> None:
    """An undated item stamped with the time of a replay reads as today's news (an old
    article fired a critical alert so): by default a replay leaves it out and says so."""
    rows = json_lines(fixtures, tmp_path / "mixed.jsonl")
    dated = [r for r in rows if r.get("published") and len(str(r["published"])) >= 10]
    result = radar(service_env(redis_url, streams.prefix), "replay", str(tmp_path / "mixed.jsonl"))
    assert result.returncode == 0, result.stderr
    items = {e.payload.item_id for e in await read_all(redis, streams.news)}
    assert items == {r["id"] for r in dated} and len(dated) < len(rows)
    assert f"{len(rows) - len(dated)} undated items left out" in result.stderr
