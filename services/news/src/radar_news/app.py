"""News ingest service: one polling task per configured feed."""

import asyncio
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import httpx
import structlog

from radar_runtime import Runtime, Setup

from .domain.feeds import FeedConfig, load_feeds
from .domain.parse import parse_feed
from .ingest import publish_new
from .settings import NewsSettings

log = structlog.get_logger("radar.news")


async def fetch(client: httpx.AsyncClient, url: str) -> bytes:
    """The feed document: a local file, or an HTTP GET."""
    if "://" not in url or url.startswith("file://"):
        return await asyncio.to_thread(Path(url.removeprefix("file://")).read_bytes)
    response = await client.get(url)
    response.raise_for_status()
    return response.content


async def poll_feed(
    client: httpx.AsyncClient, settings: NewsSettings, feed: FeedConfig, rt: Runtime
) -> None:
    """Fetch, parse and publish one feed every poll interval; errors are logged, never fatal."""
    while not rt.stopping.is_set():
        try:
            content = await fetch(client, feed.url)
            items = parse_feed(content, feed, datetime.now(UTC))
            published = await publish_new(rt, items, settings.seen_ttl_s)
            log.info("feed polled", feed=feed.name, items=len(items), published=published)
        except Exception as exc:
            log.warning("feed poll failed", feed=feed.name, error=f"{type(exc).__name__}: {exc}")
        if await rt.sleep(feed.poll_interval_s):
            return


def make_setup(settings: NewsSettings) -> Setup:
    async def setup(rt: Runtime) -> None:
        client = httpx.AsyncClient(
            timeout=settings.fetch_timeout_s,
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": settings.user_agent},
        )
        rt.on_close(client.aclose)
        for feed in load_feeds(settings.feeds_file):
            rt.task(f"feed:{feed.name}", partial(poll_feed, client, settings, feed))

    return setup
