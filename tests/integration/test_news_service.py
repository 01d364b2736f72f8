"""The news service as a real process over every real feed: nothing crashes, each item is
emitted once across polls and across a restart, and copies of one story share a chain."""

import asyncio
import signal
from datetime import UTC, datetime
from pathlib import Path

import httpx
import yaml
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis

from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import parse_document
from radar_schemas import Streams

from ..support.messages import read_all
from ..support.processes import running, service_env
from .test_news_ingest import DAILY, WIRE

FEEDS = sorted((Path(__file__).parents[1] / "fixtures" / "feeds").iterdir())


def fetches(port: int) -> dict[str, dict[str, float]]:
    """radar_news_fetches_total by feed, then outcome."""
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    counts: dict[str, dict[str, float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "radar_news_fetches_total":
                feed, outcome = sample.labels["feed"], sample.labels["outcome"]
                counts.setdefault(feed, {})[outcome] = sample.value
    return counts


async def every_feed_polled(port: int, names: list[str], times: int) -> dict[str, dict[str, float]]:
    async with asyncio.timeout(90):
        while True:
            counts = await asyncio.to_thread(fetches, port)
            if all(counts.get(n, {}).get("ok", 0) >= times for n in names):
                return counts
            await asyncio.sleep(0.2)


def write_feeds(tmp_path: Path) -> tuple[Path, list[Path]]:
    (tmp_path / "wire.xml").write_bytes(WIRE)
    (tmp_path / "daily.xml").write_bytes(DAILY)
    paths = [*FEEDS, tmp_path / "wire.xml", tmp_path / "daily.xml"]
    feeds = [{"name": p.stem, "url": str(p), "poll_interval_s": 1} for p in paths]
    config = tmp_path / "feeds.yaml"
    config.write_text(yaml.safe_dump({"feeds": feeds}))
    return config, paths


def distinct_ids(paths: list[Path]) -> set[str]:
    now = datetime.now(UTC)
    return {
        item.item_id
        for path in paths
        for item in parse_document(
            path.read_bytes(), FeedConfig(name=path.stem, url=str(path)), now
        ).items
    }


async def test_every_real_feed_through_the_service_once_across_restarts(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    config, paths = write_feeds(tmp_path)
    names = [p.stem for p in paths]
    env = service_env(redis_url, streams.prefix, RADAR_FEEDS_FILE=str(config))
    with running("radar_news", env, tmp_path / "news.log") as (process, port):
        counts = await every_feed_polled(port, names, times=2)  # polled twice: once emitted
        process.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(process.wait, 30) == 0
    assert not any(outcome != "ok" for c in counts.values() for outcome in c)
    first_run = await read_all(redis, streams.news)
    assert len(first_run) == len(distinct_ids(paths)) == 170
    with running("radar_news", env, tmp_path / "news.log") as (_, port):
        await every_feed_polled(port, names, times=2)
    assert len(await read_all(redis, streams.news)) == len(first_run)
    story = {e.payload.source: e.payload for e in first_run if "Nvidia" in e.payload.title}
    assert story["daily"].story_id == story["wire"].story_id
    assert (story["wire"].novelty, story["daily"].novelty) in {(100, 75), (75, 100)}
