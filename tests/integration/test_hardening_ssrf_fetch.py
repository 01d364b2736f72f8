"""Issue 16, item 6: feed and SEC fetches pass the one SSRF guard every outbound fetch uses.
Every redirect hop is judged (a redirect to a link-local metadata address, to the unspecified
address, to an IPv4-mapped or integer form of either, is refused before any connection),
proxy variables are not honoured, loopback is refused unless allowed, and local feed files
stay readable. Real local servers stand in for feeds, data.sec.gov and a proxy."""

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_network
from pathlib import Path
from typing import Any

import httpcore
import pytest
from redis.asyncio import Redis
from structlog.testing import capture_logs

from radar_earnings.adapters.sec import SecClient
from radar_earnings.pollers import sec_once
from radar_news.adapters.fetch import Fetcher, FetchError, make_client
from radar_reference import load_companies
from radar_runtime import Runtime, RuntimeMetrics
from radar_runtime.netguard import GuardedBackend, TargetPolicy, TargetRefused, guarded_client
from radar_schemas import Streams
from tests.integration.test_earnings_sec import (
    NVIDIA_CIK,
    USER_AGENT,
    fake_sec,
    nvidia,
    watchlist,
)
from tests.integration.test_news_fetch import FEED, reply, server

UA = "Radar/test (contact: test@example.invalid)"
LOOPBACK_ONLY = '["127.0.0.0/8"]'
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No allow setting and no proxy unless a test sets one."""
    for name in ("RADAR_ALLOW_PRIVATE_TARGETS", "RADAR_ALLOWED_TARGET_NETWORKS"):
        monkeypatch.delenv(name, raising=False)
    for name in (*PROXY_VARIABLES, "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


def redirect_targets(port: int) -> list[str]:
    return [
        "http://169.254.169.254/latest/meta-data/",
        f"http://0.0.0.0:{port}/secret",  # the unspecified address reaches this very host
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://2852039166/latest/meta-data/",  # 169.254.169.254 as one integer
        "http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/",
        f"http://[::ffff:0.0.0.0]:{port}/secret",
        "http://10.0.0.1/",
    ]


@pytest.mark.parametrize("index", range(7))
async def test_feed_redirect_to_a_non_public_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, index: int
) -> None:
    monkeypatch.setenv("RADAR_ALLOWED_TARGET_NETWORKS", LOOPBACK_ONLY)
    routes = {"/secret": reply(200, FEED)}
    with server(routes) as (base, seen):
        port = int(base.rsplit(":", 1)[1])
        routes["/feed"] = reply(302, Location=redirect_targets(port)[index])
        async with make_client(UA, 2) as client:
            with pytest.raises(FetchError) as caught:
                await Fetcher(client, timeout_s=2).fetch(f"{base}/feed")
    assert caught.value.outcome == "refused", caught.value
    assert [path for _, path, _ in seen] == ["/feed"]


async def test_every_redirect_hop_is_judged_before_connecting() -> None:
    """A redirect to a name that resolves to a private address: the guard resolves it,
    refuses it, and the only connection ever made is to the allowed first hop."""
    connected: list[str] = []

    class Recording(httpcore.AnyIOBackend):
        async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
            connected.append(host)
            return await super().connect_tcp(host, port, *args, **kwargs)

    async def resolver(host: str) -> list[str]:
        table = {"feeds.test": ["127.0.0.1"], "metadata.test": ["169.254.169.254"]}
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "unknown name")
        return table[host]

    policy = TargetPolicy(allowed_networks=(ip_network("127.0.0.0/8"),))
    routes = {"/feed": reply(302, Location="http://metadata.test/latest/meta-data/")}
    with server(routes) as (base, seen):
        port = int(base.rsplit(":", 1)[1])
        backend = GuardedBackend(policy, resolver=resolver, inner=Recording())
        async with guarded_client(
            policy=policy, timeout_s=5, follow_redirects=True, backend=backend
        ) as client:
            with pytest.raises(TargetRefused, match=r"169\.254\.169\.254"):
                await client.get(f"http://feeds.test:{port}/feed")
    assert connected == ["127.0.0.1"]
    assert [path for _, path, _ in seen] == ["/feed"]


async def test_loopback_feed_is_refused_unless_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with server({"/feed": reply(200, FEED)}) as (base, seen):
        async with make_client(UA, 5) as client:
            with pytest.raises(FetchError) as caught:
                await Fetcher(client, timeout_s=5).fetch(f"{base}/feed")
        assert caught.value.outcome == "refused" and seen == []
        monkeypatch.setenv("RADAR_ALLOW_PRIVATE_TARGETS", "true")
        async with make_client(UA, 5) as client:
            fetched = await Fetcher(client, timeout_s=5).fetch(f"{base}/feed")
    assert fetched.read() == FEED


async def test_local_feed_files_stay_readable_under_the_guard(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED)
    async with make_client(UA, 5) as client:
        fetcher = Fetcher(client, timeout_s=5)
        assert (await fetcher.fetch(str(path))).read() == FEED
        assert (await fetcher.fetch(f"file://{path}")).read() == FEED


async def test_feed_fetches_ignore_proxy_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_ALLOWED_TARGET_NETWORKS", LOOPBACK_ONLY)
    with proxy_env(monkeypatch) as via_proxy, server({"/feed": reply(200, FEED)}) as (base, seen):
        async with make_client(UA, 5) as client:
            fetched = await Fetcher(client, timeout_s=5).fetch(f"{base}/feed")
    assert fetched.read() == FEED
    assert via_proxy == [] and [path for _, path, _ in seen] == ["/feed"]


async def test_sec_fetches_ignore_proxy_variables(
    monkeypatch: pytest.MonkeyPatch, fixtures: Path
) -> None:
    monkeypatch.setenv("RADAR_ALLOWED_TARGET_NETWORKS", LOOPBACK_ONLY)
    with proxy_env(monkeypatch) as via_proxy, fake_sec() as sec:
        sec.documents[NVIDIA_CIK] = nvidia(fixtures)
        client = SecClient(sec.url, USER_AGENT, max_requests_per_s=10)
        try:
            document = await client.companyfacts(NVIDIA_CIK)
        finally:
            await client.aclose()
    assert document is not None and document.get("via") != "proxy"
    assert via_proxy == [] and len(sec.requests) == 1


async def test_sec_loopback_is_refused_unless_allowed_and_counted_as_a_failed_cik(
    redis: Redis, streams: Streams, fixtures: Path
) -> None:
    with fake_sec() as sec:
        sec.documents[NVIDIA_CIK] = nvidia(fixtures)
        settings = watchlist(sec, streams, [NVIDIA_CIK])
        rt = Runtime(name="earnings", settings=settings, redis=redis, metrics=RuntimeMetrics())
        client = SecClient(sec.url, USER_AGENT, max_requests_per_s=10)
        try:
            with pytest.raises(TargetRefused):
                await client.companyfacts(NVIDIA_CIK)
            with capture_logs() as logs:
                assert await sec_once(settings, client, load_companies(), rt) == 0
        finally:
            await client.aclose()
    assert sec.requests == []
    (failed,) = [e for e in logs if e["event"] == "sec companyfacts failed"]
    assert failed["error"].startswith("TargetRefused: 127.0.0.1")


@contextmanager
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A running proxy, named by every proxy variable."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            body = json.dumps({"facts": {}, "via": "proxy"}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, f"http://127.0.0.1:{httpd.server_address[1]}")
    try:
        yield seen
    finally:
        httpd.shutdown()
        httpd.server_close()
