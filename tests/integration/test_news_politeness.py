"""Politeness of news fetching against real local HTTP servers: one request in flight per
host and port, a User-Agent naming Radar and the configured contact, and no feed polled
more often than the minimum interval (conditional GET: test_news_fetch.py)."""

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler

import httpx
import pytest
from redis.asyncio import Redis

from radar_news.adapters.fetch import Fetcher, make_client
from radar_news.adapters.state import NewsState
from radar_news.app import Poller
from radar_news.domain.feeds import FeedConfig
from radar_news.ingest import Ingest
from radar_news.metrics import NewsMetrics
from radar_news.settings import NewsSettings
from radar_runtime import RuntimeMetrics, RuntimeSettings
from radar_runtime.service import Runtime
from tests.integration.conftest import LOOPBACK
from tests.integration.test_news_fetch import FEED, Route, reply, server


class Concurrency:
    """Counts the requests being served at once, across every server that shares it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current = self.peak = self.served = 0

    def route(self, hold_s: float = 0.3) -> Route:
        def serve(handler: BaseHTTPRequestHandler) -> None:
            with self._lock:
                self.current += 1
                self.peak = max(self.peak, self.current)
            time.sleep(hold_s)
            with self._lock:
                self.current -= 1
                self.served += 1
            reply(200, FEED)(handler)

        return serve


async def test_one_request_in_flight_per_host(client: httpx.AsyncClient) -> None:
    same = Concurrency()
    with server({"/a": same.route(), "/b": same.route()}) as (base, _):
        fetcher = Fetcher(client, timeout_s=10)
        fetched = await asyncio.gather(fetcher.fetch(f"{base}/a"), fetcher.fetch(f"{base}/b"))
    assert [f.read() for f in fetched] == [FEED, FEED]
    assert (same.served, same.peak) == (2, 1)


async def test_different_ports_are_fetched_concurrently(client: httpx.AsyncClient) -> None:
    shared = Concurrency()
    with (
        server({"/feed": shared.route()}) as (base_a, _),
        server({"/feed": shared.route()}) as (base_b, _),
    ):
        fetcher = Fetcher(client, timeout_s=10)
        fetched = await asyncio.gather(
            fetcher.fetch(f"{base_a}/feed"), fetcher.fetch(f"{base_b}/feed")
        )
    assert [f.read() for f in fetched] == [FEED, FEED]
    assert shared.served == 2 and shared.peak >= 2


async def test_user_agent_names_radar_and_the_configured_contact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RADAR_CONTACT", "feeds-owner@radar.test")
    settings = NewsSettings()
    with server({"/feed": reply(200, FEED)}) as (base, seen):
        async with make_client(
            settings.user_agent, settings.fetch_timeout_s, policy=LOOPBACK
        ) as http:
            (await Fetcher(http, settings.fetch_timeout_s).fetch(f"{base}/feed")).close()
    user_agent = seen[0][2]["user-agent"]
    assert "Radar" in user_agent and "feeds-owner@radar.test" in user_agent


async def test_feed_is_polled_no_more_often_than_the_minimum_interval(
    client: httpx.AsyncClient, redis: Redis, prefix: str
) -> None:
    # The feed asks for 1 s (the smallest interval a feed may name), the minimum is 1.5 s:
    # polls start at 0, 1.5 and 3.0 s at the earliest, so 3.5 s hold at most three; a 1 s
    # interval would give four.
    runtime = Runtime("news", RuntimeSettings(stream_prefix=prefix), redis, RuntimeMetrics())
    with server({"/feed": reply(200, FEED)}) as (base, seen):
        poller = Poller(
            fetcher=Fetcher(client, timeout_s=10),
            ingest=Ingest(runtime, NewsState(redis, prefix, 3600)),
            metrics=NewsMetrics(runtime.metrics.registry, ["eager"]),
            min_interval_s=1.5,
        )
        feed = FeedConfig(name="eager", url=f"{base}/feed", poll_interval_s=1)
        task = asyncio.create_task(poller.run(feed, runtime))
        await asyncio.sleep(3.5)
        runtime.stopping.set()
        await task
    assert 2 <= len(seen) <= 3
