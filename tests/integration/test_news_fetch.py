"""Polite fetching against a real local HTTP server: conditional GET, size limit, redirect
loop, slow server, and Retry-After delaying only the feed that was told to wait."""

import asyncio
import gzip
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from radar_news.adapters.fetch import SPOOL_BYTES, Fetched, Fetcher, FetchError
from radar_news.adapters.state import NewsState
from radar_news.app import Poller
from radar_news.domain.feeds import FeedConfig
from radar_news.ingest import Ingest
from radar_news.metrics import NewsMetrics
from radar_runtime import RuntimeMetrics, RuntimeSettings
from radar_runtime.service import Runtime

FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    b"<item><title>One</title><link>http://example.org/1</link><guid>http://example.org/1</guid>"
    b"<pubDate>Fri, 20 Nov 2026 09:00:00 +0000</pubDate></item></channel></rss>"
)
Route = Callable[[BaseHTTPRequestHandler], None]


@contextmanager
def server(
    routes: dict[str, Route],
) -> Iterator[tuple[str, list[tuple[float, str, dict[str, str]]]]]:
    """A real HTTP server; yields its base URL and the requests it got (time, path, headers)."""
    seen: list[tuple[float, str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(
                (time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()})
            )
            routes[self.path](self)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def reply(status: int, body: bytes = b"", **headers: str) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def etag_route(handler: BaseHTTPRequestHandler) -> None:
    if handler.headers.get("If-None-Match") == '"v1"':
        reply(304)(handler)
    else:
        reply(200, FEED, ETag='"v1"')(handler)


LAST_MODIFIED = "Fri, 20 Nov 2026 09:00:00 GMT"


def last_modified_route(handler: BaseHTTPRequestHandler) -> None:
    if handler.headers.get("If-Modified-Since") == LAST_MODIFIED:
        reply(304)(handler)
    else:
        reply(200, FEED, Last_Modified=LAST_MODIFIED)(handler)


def endless_route(handler: BaseHTTPRequestHandler) -> None:
    """A body far over the limit, with no Content-Length to give it away."""
    handler.send_response(200)
    handler.end_headers()
    try:
        for _ in range(2_000):
            handler.wfile.write(b"x" * 1024)
    except OSError:
        pass  # the client hung up, as it should


def slow_route(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(3)
    with suppress(OSError):  # the client gave up first, as it should
        reply(200, FEED)(handler)


@pytest.mark.parametrize(
    ("route", "sent", "value", "not_sent"),
    [
        (etag_route, "if-none-match", '"v1"', "if-modified-since"),
        (last_modified_route, "if-modified-since", LAST_MODIFIED, "if-none-match"),
    ],
)
async def test_conditional_get_round_trip(
    client: httpx.AsyncClient, route: Route, sent: str, value: str, not_sent: str
) -> None:
    """An ETag comes back as If-None-Match, a Last-Modified as If-Modified-Since; 304."""
    with server({"/feed": route}) as (base, seen):
        fetcher = Fetcher(client, timeout_s=10)
        first = await fetcher.fetch(f"{base}/feed")
        second = await fetcher.fetch(f"{base}/feed")
    assert first.read() == FEED and second.read() is None
    assert sent not in seen[0][2] and not_sent not in seen[1][2]
    assert seen[1][2][sent] == value
    assert seen[0][2]["user-agent"].startswith("Radar/")


async def test_gzip_is_decoded_and_503_is_unavailable_with_retry_after(
    client: httpx.AsyncClient,
) -> None:
    routes = {
        "/gz": reply(200, gzip.compress(FEED), Content_Encoding="gzip"),
        "/down": reply(503, Retry_After="120"),
    }
    with server(routes) as (base, seen):
        fetcher = Fetcher(client, timeout_s=10)
        fetched = await fetcher.fetch(f"{base}/gz")
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(f"{base}/down")
    assert fetched.read() == FEED and "gzip" in seen[0][2]["accept-encoding"]
    assert (caught.value.outcome, caught.value.retry_after_s) == ("unavailable", 120)


async def test_body_over_the_limit_is_aborted(client: httpx.AsyncClient) -> None:
    with server({"/big": endless_route, "/declared": reply(200, b"y" * 300_000)}) as (base, _):
        fetcher = Fetcher(client, timeout_s=10, max_bytes=100_000)
        for path in ("/big", "/declared"):
            with pytest.raises(FetchError) as caught:
                await fetcher.fetch(base + path)
            assert caught.value.outcome == "too_large"


async def test_a_large_body_waits_on_disk_not_in_memory(client: httpx.AsyncClient) -> None:
    """Bodies wait in files until parsed: fetching 8 MiB holds about one spool's worth."""
    body = bytes(range(256)) * (8 * 4096)
    with server({"/large": reply(200, body)}) as (base, _):
        tracemalloc.start()
        try:
            fetched = await Fetcher(client, timeout_s=10).fetch(f"{base}/large")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 3 * SPOOL_BYTES < len(body)
    assert fetched.read() == body
    assert fetched.body is not None and fetched.body.closed


async def test_a_body_that_cannot_be_held_is_a_fetch_error(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No room for the spooled body (here: no temporary directory) fails this fetch only."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with (
        server({"/large": reply(200, b"x" * (2 * SPOOL_BYTES))}) as (base, _),
        pytest.raises(FetchError) as caught,
    ):
        await Fetcher(client, timeout_s=10).fetch(f"{base}/large")
    assert caught.value.outcome == "network_error" and "cannot hold the body" in str(caught.value)


async def test_redirect_loop_is_stopped(client: httpx.AsyncClient) -> None:
    with (
        server({"/loop": reply(302, Location="/loop")}) as (base, seen),
        pytest.raises(FetchError) as caught,
    ):
        await Fetcher(client, timeout_s=10).fetch(f"{base}/loop")
    assert caught.value.outcome == "too_many_redirects"
    assert len(seen) == 6  # the request and five redirects


async def test_slow_server_times_out(client: httpx.AsyncClient) -> None:
    with server({"/slow": slow_route}) as (base, _), pytest.raises(FetchError) as caught:
        await Fetcher(client, timeout_s=0.5).fetch(f"{base}/slow")
    assert caught.value.outcome == "timeout"


async def test_retry_after_delays_only_that_feed(
    client: httpx.AsyncClient, redis: Redis, prefix: str
) -> None:
    answers = iter([reply(429, Retry_After="3")])

    def limited(handler: BaseHTTPRequestHandler) -> None:
        next(answers, reply(200, FEED))(handler)

    runtime = Runtime("news", RuntimeSettings(stream_prefix=prefix), redis, RuntimeMetrics())
    with (
        server({"/feed": limited}) as (base_a, seen_a),
        server({"/feed": reply(200, FEED)}) as (base_b, seen_b),
    ):
        feeds = [
            FeedConfig(name="limited", url=f"{base_a}/feed", poll_interval_s=1),
            FeedConfig(name="fine", url=f"{base_b}/feed", poll_interval_s=1),
        ]
        poller = Poller(
            fetcher=Fetcher(client, timeout_s=10),
            ingest=Ingest(runtime, NewsState(redis, prefix, 3600)),
            metrics=NewsMetrics(runtime.metrics.registry, ["limited", "fine"]),
            min_interval_s=1,
        )
        tasks = [asyncio.create_task(poller.run(feed, runtime)) for feed in feeds]
        while len(seen_a) < 2:
            await asyncio.sleep(0.1)
        runtime.stopping.set()
        await asyncio.gather(*tasks)
    first_a, second_a = seen_a[0][0], seen_a[1][0]
    assert second_a - first_a >= 3  # Retry-After honoured
    assert len([t for t, _, _ in seen_b if first_a < t < second_a]) >= 2  # the other kept going
    sample = runtime.metrics.registry.get_sample_value
    assert sample("radar_news_fetches_total", {"feed": "limited", "outcome": "rate_limited"}) == 1
    assert sample("radar_news_items_total", {"feed": "fine", "kind": "new"}) == 1


class KeepingFetcher(Fetcher):
    """A Fetcher that keeps what it returned, to look at afterwards."""

    fetched: list[Fetched]

    async def fetch(self, url: str) -> Fetched:
        fetched = await super().fetch(url)
        self.fetched.append(fetched)
        return fetched


def keeping_poller(
    client: httpx.AsyncClient, redis: Redis, prefix: str, **limits: int
) -> tuple[Runtime, KeepingFetcher, Poller]:
    """A poller of the one feed "feed" whose fetcher keeps what it fetched."""
    runtime = Runtime("news", RuntimeSettings(stream_prefix=prefix), redis, RuntimeMetrics())
    fetcher = KeepingFetcher(client, timeout_s=10, **limits)
    fetcher.fetched = []
    poller = Poller(
        fetcher=fetcher,
        ingest=Ingest(runtime, NewsState(redis, prefix, 3600)),
        metrics=NewsMetrics(runtime.metrics.registry, ["feed"]),
        min_interval_s=1,
    )
    return runtime, fetcher, poller


async def test_every_fetched_body_is_closed_whether_parsed_or_cancelled(
    client: httpx.AsyncClient, redis: Redis, prefix: str
) -> None:
    _, fetcher, poller = keeping_poller(client, redis, prefix)
    with server({"/feed": reply(200, FEED)}) as (base, _):
        feed = FeedConfig(name="feed", url=f"{base}/feed")
        assert await poller.poll_once(feed) is None  # parsed and published
        async with poller.ingest.lock:  # another feed is being ingested: this one waits
            waiting = asyncio.create_task(poller.poll_once(feed))
            while len(fetcher.fetched) < 2:
                await asyncio.sleep(0.01)
            waiting.cancel()
            with suppress(asyncio.CancelledError):
                await waiting
    poller.parser.shutdown()
    assert len(fetcher.fetched) == 2
    assert all(f.body is not None and f.body.closed for f in fetcher.fetched)


async def test_a_local_feed_that_grows_past_the_limit_before_its_parse_is_refused(
    client: httpx.AsyncClient, redis: Redis, prefix: str, tmp_path: Path
) -> None:
    """A local file is sized when opened and read when its turn to be parsed comes: what it
    grew to meanwhile is held to the same limit, and nothing of it is published."""
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED)
    runtime, fetcher, poller = keeping_poller(client, redis, prefix, max_bytes=len(FEED) + 100)
    feed = FeedConfig(name="feed", url=str(path))
    async with poller.ingest.lock:  # another feed is being ingested: this one waits, opened
        waiting = asyncio.create_task(poller.poll_once(feed))
        while not fetcher.fetched:
            await asyncio.sleep(0.01)
        with path.open("ab") as grown:
            grown.write(b" " * 200)
    assert await waiting == 0.0
    sample = runtime.metrics.registry.get_sample_value
    assert sample("radar_news_fetches_total", {"feed": "feed", "outcome": "too_large"}) == 1
    assert not sample("radar_news_last_success_timestamp_seconds", {"feed": "feed"})
    assert await redis.xlen(runtime.streams.news) == 0
    path.write_bytes(FEED)  # back under the limit: the next poll publishes it
    assert await poller.poll_once(feed) is None
    assert await redis.xlen(runtime.streams.news) == 1
    assert sample("radar_news_fetches_total", {"feed": "feed", "outcome": "ok"}) == 1
    assert sample("radar_news_last_success_timestamp_seconds", {"feed": "feed"}) > 0
    poller.parser.shutdown()
    assert all(f.body is not None and f.body.closed for f in fetcher.fetched)
