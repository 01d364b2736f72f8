"""Issue 16, item 5, against the real Redis and real local receivers: a stored URL the sender
cannot use is dead-lettered with a reason (never an exception retried forever), ``radar
webhooks test`` answers with one line, ``radar webhooks add`` normalises and judges the URL
and refuses weak secrets, and an endpoint that hangs does not hold up the others."""

import asyncio
import base64
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from redis.asyncio import Redis

from radar_cli.main import main
from radar_notifier.adapters.store import EndpointStore, endpoints_key
from radar_notifier.adapters.transport import guarded_client
from radar_notifier.delivery import Deliverer, DeliveryPolicy
from radar_notifier.domain.endpoints import Endpoint, PayloadFormat
from radar_notifier.domain.retry import RetrySchedule
from radar_notifier.metrics import NotifierMetrics
from radar_schemas import Severity, Streams, encode
from tests.support.messages import read_all
from tests.support.webhook_receivers import alert_event, scripted_receiver

SECRET = "whsec_" + base64.b64encode(b"hardening-ssrf-test-secret-0123").decode()


class Result:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def radar(
    redis_url: str, prefix: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., object]:
    """``await radar("add", url)``: the command's exit code and output (an exception that
    escapes the command fails the test)."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("RADAR_STREAM_PREFIX", prefix)

    def run(args: tuple[str, ...]) -> int:
        try:
            main(["webhooks", *args])
        except SystemExit as exit_:
            return int(exit_.code or 0)
        return 0

    async def radar_(*args: str, allow_private: bool = True) -> Result:
        monkeypatch.setenv("RADAR_ALLOW_PRIVATE_TARGETS", str(allow_private).lower())
        capsys.readouterr()
        code = await asyncio.to_thread(run, args)
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return radar_


def sample(metric: Any, **labels: str) -> float:
    (family,) = metric.collect()
    for item in family.samples:
        if item.labels == labels and not item.name.endswith("_created"):
            return float(item.value)
    raise AssertionError(f"no sample {labels} in {family.name}")


async def store_raw(redis: Redis, prefix: str, endpoint_id: str, url: str) -> None:
    """An endpoint as an older version stored it, without today's validation."""
    endpoint = Endpoint.model_construct(
        endpoint_id=endpoint_id,
        url=url,
        secrets=[SECRET],
        previous_expires_at=None,
        sectors=[],
        rules=[],
        min_severity=Severity.INFO,
        payload_format=PayloadFormat.STANDARD,
        disabled_reason=None,
        created_at=datetime.now(UTC),
    )
    await redis.hset(endpoints_key(prefix), endpoint_id, endpoint.model_dump_json())


def deliverer_for(redis: Redis, streams: Streams, *, allow_private: bool, **policy: Any) -> Any:
    options: dict[str, Any] = {"schedule": RetrySchedule((0.0, 0.05, 0.05)), **policy}
    options.setdefault("timeout_s", 5.0)
    client = guarded_client(allow_private=allow_private, timeout_s=options["timeout_s"])
    metrics = NotifierMetrics(CollectorRegistry())
    return Deliverer(redis, streams, client, metrics, DeliveryPolicy(**options))


async def drain_all(deliverer: Deliverer) -> None:
    async with asyncio.timeout(20):
        await deliverer.drain_once()
        await deliverer.settle()
    await deliverer.client.aclose()


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


async def test_odd_ipv4_url_is_refused_and_dead_lettered_at_once(
    redis: Redis, streams: Streams
) -> None:
    deliverer = deliverer_for(redis, streams, allow_private=False)
    with scripted_receiver() as receiver:
        url = f"http://127.000.000.001:{port_of(receiver.url)}/hook"
        await store_raw(redis, streams.prefix, "ep_odd", url)
        await deliverer.enqueue(alert_event())
        await drain_all(deliverer)
    assert receiver.requests == []
    (dead,) = await read_all(redis, streams.deadletter)
    assert dead.payload.reason == "refused" and dead.payload.attempts == 1
    assert "127.0.0.1" in dead.payload.error
    assert await deliverer.queue.pending() == 0
    assert sample(deliverer.metrics.deliveries, outcome="refused") == 1
    assert sample(deliverer.metrics.attempts, result="refused") == 1


async def test_odd_ipv4_url_is_delivered_to_the_address_it_names_when_allowed(
    redis: Redis, streams: Streams
) -> None:
    deliverer = deliverer_for(redis, streams, allow_private=True)
    with scripted_receiver() as receiver:
        url = f"http://2130706433:{port_of(receiver.url)}/hook"
        await store_raw(redis, streams.prefix, "ep_int", url)
        await deliverer.enqueue(alert_event())
        await drain_all(deliverer)
    assert len(receiver.requests) == 1
    assert sample(deliverer.metrics.deliveries, outcome="delivered") == 1


@pytest.mark.parametrize("url", ["http://[::1/hook", "http://1.2.3.09/hook", "ftp://h.example/"])
async def test_unusable_url_is_rejected_with_a_reason(
    redis: Redis, streams: Streams, url: str
) -> None:
    deliverer = deliverer_for(redis, streams, allow_private=True)
    await store_raw(redis, streams.prefix, "ep_bad", url)
    await deliverer.enqueue(alert_event())
    await drain_all(deliverer)
    (dead,) = await read_all(redis, streams.deadletter)
    assert dead.payload.reason == "rejected" and dead.payload.attempts == 1
    assert dead.payload.error.startswith("unusable URL: ")
    assert await deliverer.queue.pending() == 0
    assert sample(deliverer.metrics.deliveries, outcome="rejected") == 1
    assert sample(deliverer.metrics.attempts, result="error") == 1


async def test_webhooks_test_answers_in_one_line_for_a_url_it_cannot_use(
    redis: Redis, prefix: str, radar: Any
) -> None:
    await store_raw(redis, prefix, "ep_odd", "http://127.000.000.001:9/hook")
    await store_raw(redis, prefix, "ep_bad", "http://[::1/hook")
    refused = await radar("test", "ep_odd", allow_private=False)
    assert refused.returncode == 1 and "refused by the SSRF guard" in refused.stdout
    unusable = await radar("test", "ep_bad")
    assert unusable.returncode == 1 and "unusable URL" in unusable.stdout
    for result in (refused, unusable):
        assert len(result.stdout.strip().splitlines()) == 1 and result.stderr == ""


async def test_webhooks_add_stores_the_normalised_url_and_judges_it(
    redis: Redis, prefix: str, radar: Any
) -> None:
    added = await radar("add", "http://127.000.000.001:9/hook", "--secret", SECRET)
    assert added.returncode == 0, added.stderr
    assert "http://127.0.0.1:9/hook" in added.stdout
    (endpoint,) = await EndpointStore(redis, prefix).all()
    assert endpoint.url == "http://127.0.0.1:9/hook"

    refused = await radar("add", "http://0x7f.1:9/hook", allow_private=False)
    assert refused.returncode == 2
    assert "refused" in refused.stderr and "RADAR_ALLOW_PRIVATE_TARGETS" in refused.stderr
    bad = await radar("add", "http://1.2.3.09/hook")
    assert bad.returncode == 2 and "IPv4" in bad.stderr
    assert len(await EndpointStore(redis, prefix).all()) == 1


@pytest.mark.parametrize(
    "secret",
    [
        "whsec_AA==",
        base64.b64encode(b"s" * 32).decode(),
        "whsec_" + base64.b64encode(b"s" * 23).decode(),
    ],
)
async def test_webhooks_add_refuses_weak_secrets(
    redis: Redis, prefix: str, radar: Any, secret: str
) -> None:
    added = await radar("add", "https://hooks.example.com/x", "--secret", secret)
    assert added.returncode == 2
    assert "whsec_" in added.stderr and "at least 24 bytes" in added.stderr
    assert secret.removeprefix("whsec_") not in added.stderr
    assert await EndpointStore(redis, prefix).all() == []


@contextmanager
def hanging_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=1_000)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    finally:
        listener.close()
        for connection in held:
            connection.close()


async def test_a_hanging_endpoint_with_a_backlog_does_not_hold_up_the_others(
    redis: Redis, streams: Streams
) -> None:
    """3,000 deliveries due for an endpoint that never answers, queued before one for an
    endpoint that answers at once: the latter is delivered within the timeout (drained as
    the service does, every 0.2 s), and the hanging endpoint never has more attempts in
    flight than its limit."""
    timeout_s = 2.0
    deliverer = deliverer_for(
        redis, streams, allow_private=True, timeout_s=timeout_s, schedule=RetrySchedule((0.0,))
    )
    with hanging_server() as hanging_url, scripted_receiver() as prompt:
        for endpoint_id, url in (("ep_hanging", hanging_url), ("ep_prompt", prompt.url)):
            await deliverer.store.put(
                Endpoint(
                    endpoint_id=endpoint_id,
                    url=url,
                    secrets=[SECRET],
                    created_at=datetime.now(UTC),
                )
            )
        now = time.time()
        for index in range(3_000):
            fields = encode(alert_event(f"backlog{index}"))
            await deliverer.queue.enqueue("ep_hanging", fields, now - 10)
        await deliverer.queue.enqueue("ep_prompt", encode(alert_event("prompt")), now)
        started = time.monotonic()
        peak = 0
        async with asyncio.timeout(30):
            while not prompt.requests:
                await deliverer.drain_once()
                peak = max(peak, deliverer.in_flight["ep_hanging"])
                await asyncio.sleep(0.2)
        took = time.monotonic() - started
        for task in list(deliverer.tasks):
            task.cancel()
        await deliverer.settle()
        await deliverer.client.aclose()
    assert took < timeout_s, f"the prompt endpoint waited {took:.1f} s"
    assert peak <= deliverer.policy.per_endpoint_limit
    dead = await redis.xlen(streams.deadletter)  # attempts that timed out meanwhile
    assert await deliverer.queue.pending() + dead == 3_000  # the backlog is kept
