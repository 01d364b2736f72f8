"""SEC polling against a local HTTP server standing in for data.sec.gov, publishing to a real
Redis: declared User-Agent, at most 10 requests a second, an unchanged filing published once,
one CIK's failure not stopping the others, a 429 or 503 honoured by waiting its Retry-After."""

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

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from structlog.testing import capture_logs

from radar_earnings.adapters.sec import SecBackingOff, SecClient
from radar_earnings.pollers import sec_once
from radar_earnings.settings import EarningsSettings
from radar_reference import load_companies
from radar_runtime import Runtime, RuntimeMetrics, connect
from radar_schemas import Streams, decode

USER_AGENT = "Radar research ops@example.com"


@pytest.fixture(autouse=True)
def loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SSRF guard lets the local stand-in for data.sec.gov through, nothing else."""
    monkeypatch.setenv("RADAR_ALLOWED_TARGET_NETWORKS", '["127.0.0.0/8"]')


NVIDIA_CIK = "0001045810"


@dataclass
class FakeSec:
    """What the stand-in server serves and what it saw."""

    url: str = ""
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    honour_etag: bool = True
    # Per CIK, answers given (first one first) before the document is served: status,
    # headers, body.
    answers: dict[str, list[tuple[int, dict[str, str], bytes]]] = field(default_factory=dict)
    requests: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)


@contextmanager
def fake_sec() -> Iterator[FakeSec]:
    sec = FakeSec()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            sec.requests.append((time.monotonic(), self.path, headers))
            cik = self.path.rsplit("CIK", 1)[-1].removesuffix(".json")
            if sec.answers.get(cik):
                status, extra, raw = sec.answers[cik].pop(0)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
                return
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


ALPHABET_CIK = "0001652044"
NO_XBRL_CIK = "0000000404"  # answered 404, as for a filer without XBRL data


def alphabet(fixtures: Path) -> dict[str, Any]:
    path = fixtures / "earnings/edgar/CIK0001652044_alphabet_companyfacts_subset.json"
    document: dict[str, Any] = json.loads(path.read_text())
    return document


def watchlist(sec: FakeSec, streams: Streams, ciks: list[str]) -> EarningsSettings:
    return EarningsSettings(
        sec_ciks=ciks,
        sec_base_url=sec.url,
        sec_user_agent=USER_AGENT,
        stream_prefix=streams.prefix,
        calendar_files=[],
    )


async def test_a_failing_cik_does_not_stop_the_others(
    redis: Redis, streams: Streams, fixtures: Path
) -> None:
    broken = ["0000000500", "0000000666", "0000000777"]
    with fake_sec() as sec:
        sec.documents[NVIDIA_CIK] = nvidia(fixtures)
        sec.documents[ALPHABET_CIK] = alphabet(fixtures)
        sec.answers[broken[0]] = [(500, {}, b"")]  # no retry for a 500
        sec.answers[broken[1]] = [(200, {"Content-Type": "application/json"}, b"{not json")]
        sec.documents[broken[2]] = {"cik": 777}  # JSON, but not companyfacts: no 'facts'
        ciks = [NO_XBRL_CIK, NVIDIA_CIK, *broken, ALPHABET_CIK]
        settings = watchlist(sec, streams, ciks)
        rt = Runtime(name="earnings", settings=settings, redis=redis, metrics=RuntimeMetrics())
        client = SecClient(sec.url, USER_AGENT, settings.sec_max_requests_per_s)
        try:
            with capture_logs() as logs:
                published = await sec_once(settings, client, load_companies(), rt)
        finally:
            await client.aclose()
    assert published == 8  # the four latest reports of each of the two real filers
    ids = await earnings_ids(redis, streams)
    assert {i.rsplit(":", 1)[0] for i in ids} == {f"sec:{NVIDIA_CIK}", f"sec:{ALPHABET_CIK}"}
    # Every CIK was asked once, in watchlist order.
    assert [path.rsplit("CIK", 1)[-1] for _, path, _ in sec.requests] == [
        f"{cik}.json" for cik in ciks
    ]
    failed = {
        entry["cik"]: entry["error"]
        for entry in logs
        if entry["event"] == "sec companyfacts failed"
    }
    assert set(failed) == {NO_XBRL_CIK, *broken}
    assert failed[NO_XBRL_CIK].startswith("HTTP 404 from ")
    assert failed[broken[0]].startswith("HTTP 500 from ")
    assert failed[broken[1]].startswith("ValueError: /api/xbrl/companyfacts/CIK")
    assert "no 'facts' object" in failed[broken[2]]
    (summary,) = [entry for entry in logs if entry["event"] == "sec watchlist polled"]
    assert (summary["failed"], summary["published"]) == (4, 8)


async def test_first_cik_404_second_still_published(
    redis: Redis, streams: Streams, fixtures: Path
) -> None:
    with fake_sec() as sec:
        sec.documents[ALPHABET_CIK] = alphabet(fixtures)
        settings = watchlist(sec, streams, [NO_XBRL_CIK, ALPHABET_CIK])
        rt = Runtime(name="earnings", settings=settings, redis=redis, metrics=RuntimeMetrics())
        client = SecClient(sec.url, USER_AGENT, settings.sec_max_requests_per_s)
        try:
            assert await sec_once(settings, client, load_companies(), rt) == 4
            # The 404 is asked again on the next poll; Alphabet's answer is a 304.
            assert await sec_once(settings, client, load_companies(), rt) == 0
        finally:
            await client.aclose()
    ids = await earnings_ids(redis, streams)
    assert ids[-1].startswith(f"sec:{ALPHABET_CIK}:") and len(ids) == 4
    assert [p.rsplit("CIK", 1)[-1] for _, p, _ in sec.requests] == [
        f"{NO_XBRL_CIK}.json",
        f"{ALPHABET_CIK}.json",
    ] * 2


async def test_429_and_503_wait_for_retry_after_then_retry(fixtures: Path) -> None:
    with fake_sec() as sec:
        sec.documents[NVIDIA_CIK] = nvidia(fixtures)
        sec.answers[NVIDIA_CIK] = [(429, {"Retry-After": "1"}, b""), (503, {}, b"")]
        client = SecClient(sec.url, USER_AGENT, max_requests_per_s=10, max_backoff_s=5)
        try:
            document = await client.companyfacts(NVIDIA_CIK)
        finally:
            await client.aclose()
    assert document is not None and document["entityName"] == nvidia(fixtures)["entityName"]
    first, second, third = (at for at, _, _ in sec.requests)
    assert second - first >= 0.95  # Retry-After: 1
    assert third - second >= 0.95  # no Retry-After on the 503: 2 ** 0 seconds


async def test_retries_run_out_and_the_pause_holds_for_the_next_request(
    fixtures: Path,
) -> None:
    with fake_sec() as sec:
        sec.documents[NVIDIA_CIK] = nvidia(fixtures)
        sec.answers[ALPHABET_CIK] = [(429, {"Retry-After": "1"}, b"")] * 2
        client = SecClient(sec.url, USER_AGENT, max_requests_per_s=10, retries=1)
        try:
            with pytest.raises(httpx.HTTPStatusError, match="429"):
                await client.companyfacts(ALPHABET_CIK)
            assert await client.companyfacts(NVIDIA_CIK) is not None
        finally:
            await client.aclose()
    arrivals = [at for at, _, _ in sec.requests]
    assert len(arrivals) == 3
    # The last 429 asked for a second; the next request, for another CIK, waited for it.
    assert arrivals[2] - arrivals[1] >= 0.95


async def test_a_long_retry_after_is_kept_without_sleeping_through_it(fixtures: Path) -> None:
    """A pause longer than max_backoff_s: the 429 comes back at once, and every request
    until the pause is over fails at once instead of waiting (a shutdown is never held)."""
    with fake_sec() as sec:
        sec.documents[NVIDIA_CIK] = nvidia(fixtures)
        sec.answers[ALPHABET_CIK] = [(429, {"Retry-After": "600"}, b"")]
        client = SecClient(sec.url, USER_AGENT, max_requests_per_s=10, max_backoff_s=5)
        try:
            with pytest.raises(httpx.HTTPStatusError, match="429"):
                await client.companyfacts(ALPHABET_CIK)
            with pytest.raises(SecBackingOff, match="wait"):
                await client.companyfacts(NVIDIA_CIK)
        finally:
            await client.aclose()
    assert len(sec.requests) == 1  # the 429 was not retried, Nvidia not asked for


async def test_reports_that_could_not_be_published_are_fetched_again(
    redis: Redis, streams: Streams, fixtures: Path
) -> None:
    with fake_sec() as sec:
        sec.documents[NVIDIA_CIK] = nvidia(fixtures)
        settings = watchlist(sec, streams, [NVIDIA_CIK])
        companies = load_companies()
        client = SecClient(sec.url, USER_AGENT, settings.sec_max_requests_per_s)
        down = connect("redis://127.0.0.1:1", retries=0)  # nothing listens on port 1
        try:
            rt_down = Runtime(
                name="earnings", settings=settings, redis=down, metrics=RuntimeMetrics()
            )
            with pytest.raises(RedisConnectionError):
                await sec_once(settings, client, companies, rt_down)
            rt = Runtime(name="earnings", settings=settings, redis=redis, metrics=RuntimeMetrics())
            assert await sec_once(settings, client, companies, rt) == 4
        finally:
            await down.aclose()
            await client.aclose()
    # The second request carried no validator: a 304 would have hidden the four reports.
    assert [("if-none-match" in headers) for _, _, headers in sec.requests] == [False, False]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[" * 5_000 + b"]" * 5_000, "nested deeper than"),
        (b'{"facts": ', "not JSON"),
        (b"[1, 2]", "not a JSON object"),
    ],
)
async def test_a_hostile_or_broken_companyfacts_body_is_one_clear_error(
    body: bytes, reason: str
) -> None:
    """A body nested thousands deep (which the standard decoder meets with RecursionError),
    cut short, or not an object: a ValueError naming the document, never a crash."""
    with fake_sec() as sec:
        sec.answers[NVIDIA_CIK] = [(200, {"Content-Type": "application/json"}, body)]
        client = SecClient(sec.url, USER_AGENT, max_requests_per_s=10)
        try:
            with pytest.raises(ValueError, match=reason) as raised:
                await client.companyfacts(NVIDIA_CIK)
        finally:
            await client.aclose()
    assert "companyfacts/CIK0001045810.json" in str(raised.value)
    assert "\n" not in str(raised.value)
