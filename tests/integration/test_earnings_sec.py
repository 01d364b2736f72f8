"""SEC polling against a local HTTP server standing in for data.sec.gov, publishing to a real
Redis: declared User-Agent, at most 10 requests a second, an unchanged filing published once."""

import asyncio
import copy
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from radar_earnings.adapters.sec import SecClient
from radar_earnings.pollers import sec_once
from radar_earnings.settings import EarningsSettings
from radar_reference import load_companies
from radar_runtime import Runtime, RuntimeMetrics
from radar_schemas import Streams, decode

USER_AGENT = "Radar research ops@example.com"
NVIDIA_CIK = "0001045810"


@dataclass
class FakeSec:
    """What the stand-in server serves and what it saw."""

    url: str = ""
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    honour_etag: bool = True
    requests: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)


@contextmanager
def fake_sec() -> Iterator[FakeSec]:
    sec = FakeSec()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            sec.requests.append((time.monotonic(), self.path, headers))
            cik = self.path.rsplit("CIK", 1)[-1].removesuffix(".json")
            if cik not in sec.documents:
                self.send_response(404)
                self.end_headers()
                return
            body = json.dumps(sec.documents[cik]).encode()
            etag = f'"{hash(body)}"'
            if sec.honour_etag and headers.get("if-none-match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sec.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sec
    finally:
        server.shutdown()
        server.server_close()


def nvidia(fixtures: Path) -> dict[str, Any]:
    path = fixtures / "earnings/edgar/CIK0001045810_nvidia_companyfacts_subset.json"
    document: dict[str, Any] = json.loads(path.read_text())
    return document


def with_new_quarter(document: dict[str, Any]) -> dict[str, Any]:
    """The same facts plus a later 10-Q: fiscal 2027 Q2."""
    newer = copy.deepcopy(document)
    fact = {"start": "2026-04-27", "end": "2026-07-26", "val": 90_000_000_000,
            "accn": "0001045810-26-000099", "fy": 2027, "fp": "Q2", "form": "10-Q",
            "filed": "2026-08-26"}  # fmt: skip
    newer["facts"]["us-gaap"]["Revenues"]["units"]["USD"].append(fact)
    return newer


async def earnings_ids(redis: Redis, streams: Streams) -> list[str]:
    entries = await redis.xrange(streams.earnings)
    return [decode(fields).payload.report_id for _, fields in entries]


async def test_watchlist_polling(redis: Redis, streams: Streams, fixtures: Path) -> None:
    with fake_sec() as sec:
        sec.documents[NVIDIA_CIK] = nvidia(fixtures)
        settings = EarningsSettings(
            sec_ciks=["1045810"],
            sec_base_url=sec.url,
            sec_user_agent=USER_AGENT,
            stream_prefix=streams.prefix,
            calendar_files=[],
        )
        rt = Runtime(name="earnings", settings=settings, redis=redis, metrics=RuntimeMetrics())
        client = SecClient(sec.url, USER_AGENT, settings.sec_max_requests_per_s)
        companies = load_companies()
        try:
            assert await sec_once(settings, client, companies, rt) == 4
            first = await earnings_ids(redis, streams)
            assert first[-1] == f"sec:{NVIDIA_CIK}:2027Q1"
            # Unchanged: the server answers 304 to the conditional request.
            assert await sec_once(settings, client, companies, rt) == 0
            assert sec.requests[-1][2]["if-none-match"]
            # A server that ignores the validator: the same filings are still not re-published.
            sec.honour_etag = False
            assert await sec_once(settings, client, companies, rt) == 0
            # A new 10-Q: only its report is published.
            sec.documents[NVIDIA_CIK] = with_new_quarter(sec.documents[NVIDIA_CIK])
            assert await sec_once(settings, client, companies, rt) == 1
            assert (await earnings_ids(redis, streams))[len(first) :] == [
                f"sec:{NVIDIA_CIK}:2027Q2"
            ]
        finally:
            await client.aclose()
        assert {headers["user-agent"] for _, _, headers in sec.requests} == {USER_AGENT}
        assert all(path.endswith(f"CIK{NVIDIA_CIK}.json") for _, path, _ in sec.requests)
        assert len(sec.requests) == 4


async def test_requests_stay_at_or_under_ten_a_second() -> None:
    with fake_sec() as sec:
        sec.documents["0000000001"] = {"cik": 1, "facts": {}}
        client = SecClient(sec.url, USER_AGENT, max_requests_per_s=10)
        try:
            # Concurrent callers: only the limiter stands between them and the server.
            await asyncio.gather(*(client.companyfacts("1") for _ in range(25)))
        finally:
            await client.aclose()
    arrivals = sorted(at for at, _, _ in sec.requests)
    assert len(arrivals) == 25
    # Any 11 consecutive arrivals span about a second or more: 10 a second at most. The
    # 0.1 s allowance is for a loaded machine delaying one arrival more than another; with the
    # limiter set to a million a second, 11 consecutive requests arrived within about 12 ms.
    spans = [later - earlier for earlier, later in zip(arrivals, arrivals[10:], strict=False)]
    assert min(spans) >= 0.9
    assert (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) <= 10.5
