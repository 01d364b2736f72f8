"""Webhook delivery against real local receivers and the real Redis: success, retries,
410, timeouts beside a prompt endpoint, redirects, dead letters, Alertmanager format."""

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import jsonschema
import pytest
from prometheus_client import CollectorRegistry
from redis.asyncio import Redis
from standardwebhooks import Webhook

from radar_notifier.adapters.transport import guarded_client
from radar_notifier.delivery import Deliverer, DeliveryPolicy
from radar_notifier.domain.endpoints import Endpoint, PayloadFormat, new_endpoint_id
from radar_notifier.domain.retry import RetrySchedule
from radar_notifier.domain.signing import new_secret
from radar_notifier.metrics import NotifierMetrics
from radar_schemas import Streams
from tests.support.messages import read_all
from tests.support.webhook_receivers import alert_event, scripted_receiver

FAST = RetrySchedule((0.0, 0.05, 0.05))
MakeDeliverer = Callable[..., Awaitable[Deliverer]]


@pytest.fixture
async def make_deliverer(redis: Redis, streams: Streams) -> AsyncIterator[MakeDeliverer]:
    made: list[Deliverer] = []

    async def make(**policy: Any) -> Deliverer:
        options: dict[str, Any] = {"schedule": FAST, "timeout_s": 5.0, **policy}
        client = guarded_client(allow_private=True, timeout_s=options["timeout_s"])
        metrics = NotifierMetrics(CollectorRegistry())
        made.append(Deliverer(redis, streams, client, metrics, DeliveryPolicy(**options)))
        return made[-1]

    yield make
    for deliverer in made:
        await deliverer.settle()
        await deliverer.client.aclose()


async def add(deliverer: Deliverer, url: str, **fields: Any) -> Endpoint:
    endpoint = Endpoint(
        endpoint_id=new_endpoint_id(),
        url=url,
        secrets=[new_secret()],
        created_at=datetime.now(UTC),
        **fields,
    )
    await deliverer.store.put(endpoint)
    return endpoint


async def run_until(
    deliverer: Deliverer, done: Callable[[], bool], *, settle: bool = True, timeout_s: float = 30
) -> None:
    """Drain and wait until ``done()``, then (with ``settle``) let attempts in progress finish."""
    async with asyncio.timeout(timeout_s):
        while not done():
            await deliverer.drain_once()
            await asyncio.sleep(0.02)
    if settle:
        await deliverer.settle()


def sample(metric: Any, **labels: str) -> float:
    """A metric's current value (the ``_total`` sample of a counter)."""
    (family,) = metric.collect()
    for item in family.samples:
        if item.labels == labels and not item.name.endswith("_created"):
            return float(item.value)
    raise AssertionError(f"no sample {labels} in {family.name}")


async def test_success_is_signed_verifiable_and_counted(make_deliverer: MakeDeliverer) -> None:
    deliverer = await make_deliverer()
    event = alert_event()
    with scripted_receiver() as receiver:
        endpoint = await add(deliverer, receiver.url)
        assert await deliverer.enqueue(event) == 1
        assert await deliverer.enqueue(event) == 0  # the same alert again: one delivery
        await run_until(deliverer, lambda: not deliverer.tasks and bool(receiver.requests))
        await deliverer.drain_once()
    (request,) = receiver.requests
    payload = Webhook(endpoint.secrets[0]).verify(request.body, request.headers)
    assert payload["data"]["fingerprint"] == event.payload.fingerprint
    assert request.headers["webhook-id"] == event.event_id
    assert sample(deliverer.metrics.deliveries, outcome="delivered") == 1
    assert sample(deliverer.metrics.attempts, result="2xx") == 1
    assert await deliverer.queue.pending() == 0
    assert sample(deliverer.metrics.pending) == 0


async def test_500_then_200_retries_with_the_same_id(
    make_deliverer: MakeDeliverer, redis: Redis
) -> None:
    deliverer = await make_deliverer()
    with scripted_receiver(script=[(500, {})]) as receiver:
        await add(deliverer, receiver.url)
        await deliverer.enqueue(alert_event())
        await run_until(deliverer, lambda: len(receiver.requests) == 2)
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert sample(deliverer.metrics.deliveries, outcome="retried") == 1
    assert sample(deliverer.metrics.deliveries, outcome="delivered") == 1
    assert sample(deliverer.metrics.attempts, result="5xx") == 1
    assert await deliverer.queue.pending() == 0


async def test_retry_after_delays_the_next_attempt(make_deliverer: MakeDeliverer) -> None:
    deliverer = await make_deliverer(schedule=RetrySchedule((0.0, 0.05, 3600.0)))
    with scripted_receiver(script=[(429, {"Retry-After": "120"})]) as receiver:
        endpoint = await add(deliverer, receiver.url)
        event = alert_event()
        await deliverer.enqueue(event)
        await run_until(deliverer, lambda: bool(receiver.requests))
        before = datetime.now(UTC).timestamp()
    delivery_id = f"{endpoint.endpoint_id}:{event.event_id}"
    due = await deliverer.queue.redis.zscore(deliverer.queue.due_key, delivery_id)
    assert due is not None and due >= before + 100
    stored = await deliverer.queue.get(delivery_id)
    assert stored is not None and stored.attempts == 1 and stored.last_error == "HTTP 429"


async def test_410_disables_the_endpoint(
    make_deliverer: MakeDeliverer, redis: Redis, streams: Streams
) -> None:
    deliverer = await make_deliverer()
    with scripted_receiver(default_status=410) as receiver:
        endpoint = await add(deliverer, receiver.url)
        await deliverer.enqueue(alert_event())
        await run_until(deliverer, lambda: bool(receiver.requests))
        stored = await deliverer.store.get(endpoint.endpoint_id)
        assert stored is not None and not stored.enabled
        assert await deliverer.enqueue(alert_event()) == 0  # nothing more is queued for it
        await deliverer.drain_once()
        await deliverer.settle()
    assert len(receiver.requests) == 1
    assert sample(deliverer.metrics.disabled) == 1
    (dead,) = await read_all(redis, streams.deadletter)
    assert dead.payload.reason == "disabled" and dead.payload.error == "HTTP 410"


async def test_slow_endpoint_times_out_while_another_receives_promptly(
    make_deliverer: MakeDeliverer,
) -> None:
    deliverer = await make_deliverer(timeout_s=2.0, schedule=RetrySchedule((0.0, 3600.0)))
    metrics = deliverer.metrics
    gate = threading.Event()
    # The prompt receiver answers only once the slow one holds its request: its delivery
    # can complete only while the slow attempt is in progress, which a deliverer that
    # attempts one endpoint after the other never achieves.
    with (
        scripted_receiver(gate=gate) as slow,
        scripted_receiver(gate=slow.arrived) as prompt,
    ):
        slow_endpoint = await add(deliverer, slow.url)
        await add(deliverer, prompt.url)
        event = alert_event()
        await deliverer.enqueue(event)
        await run_until(
            deliverer, lambda: sample(metrics.deliveries, outcome="delivered") == 1, settle=False
        )
        assert len(prompt.requests) == 1 and sample(metrics.attempts, result="2xx") == 1
        # The slow receiver still holds its request; that attempt has not ended.
        assert len(slow.requests) == 1 and slow.held == 1
        assert sample(metrics.attempts, result="timeout") == 0
        assert sample(metrics.deliveries, outcome="retried") == 0
        await deliverer.settle()
        assert slow.held == 1  # the attempt timed out; the receiver was never released
        gate.set()
    stored = await deliverer.queue.get(f"{slow_endpoint.endpoint_id}:{event.event_id}")
    assert stored is not None and "timed out after 2 s" in stored.last_error
    assert sample(metrics.attempts, result="timeout") == 1
    assert sample(metrics.deliveries, outcome="retried") == 1
    assert sample(metrics.deliveries, outcome="delivered") == 1


async def test_large_response_body_is_cut_off_not_read(make_deliverer: MakeDeliverer) -> None:
    deliverer = await make_deliverer()
    size = 32 * 1024 * 1024  # more than the socket buffers on both sides can absorb
    with scripted_receiver(body_size=size) as receiver:
        await add(deliverer, receiver.url)
        await deliverer.enqueue(alert_event())
        await run_until(deliverer, lambda: bool(receiver.requests))
        assert await asyncio.to_thread(receiver.answered.wait, 30)
    assert sample(deliverer.metrics.deliveries, outcome="delivered") == 1
    # The client closed the connection instead of reading the body to its end.
    assert receiver.cut_off and receiver.sent < size


async def test_per_endpoint_limit_leaves_the_rest_queued(make_deliverer: MakeDeliverer) -> None:
    deliverer = await make_deliverer(per_endpoint_limit=1, timeout_s=10.0)
    gate = threading.Event()
    with scripted_receiver(gate=gate) as slow:
        await add(deliverer, slow.url)
        for sector in ("gaming", "film_tv", "marketing"):
            await deliverer.enqueue(alert_event(sector))
        await run_until(deliverer, lambda: bool(slow.requests), settle=False)
        await deliverer.drain_once()
        assert len(deliverer.tasks) == 1 and len(slow.requests) == 1
        gate.set()
        await run_until(deliverer, lambda: len(slow.requests) == 3)
    assert sample(deliverer.metrics.deliveries, outcome="delivered") == 3


async def test_redirect_is_refused_and_not_followed(
    make_deliverer: MakeDeliverer, redis: Redis, streams: Streams
) -> None:
    deliverer = await make_deliverer()
    with scripted_receiver() as elsewhere:
        moved = (302, {"Location": elsewhere.url})
        with scripted_receiver(default_status=302, script=[moved]) as receiver:
            await add(deliverer, receiver.url)
            await deliverer.enqueue(alert_event())
            await run_until(deliverer, lambda: bool(receiver.requests))
    assert elsewhere.requests == []
    (dead,) = await read_all(redis, streams.deadletter)
    assert dead.payload.reason == "rejected"
    assert dead.payload.error == "HTTP 302 (redirects are not followed)"
    assert sample(deliverer.metrics.attempts, result="3xx") == 1


async def test_exhausted_delivery_is_dead_lettered_with_the_last_error(
    make_deliverer: MakeDeliverer, redis: Redis, streams: Streams
) -> None:
    deliverer = await make_deliverer()
    event = alert_event()
    with scripted_receiver(default_status=503) as receiver:
        endpoint = await add(deliverer, receiver.url)
        await deliverer.enqueue(event)
        await run_until(deliverer, lambda: len(receiver.requests) == 3)
    (dead,) = await read_all(redis, streams.deadletter)
    assert dead.payload.reason == "exhausted" and dead.payload.attempts == 3
    assert dead.payload.error == "gave up after 3 attempts; last: HTTP 503"
    assert dead.payload.entry_id == f"webhook:{endpoint.endpoint_id}"
    assert dead.payload.original_event_id == event.event_id
    assert await deliverer.queue.pending() == 0


# The Alertmanager webhook payload, version 4, as documented at
# https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
ALERTMANAGER_V4 = {
    "type": "object",
    "required": [
        "version",
        "groupKey",
        "truncatedAlerts",
        "status",
        "receiver",
        "groupLabels",
        "commonLabels",
        "commonAnnotations",
        "externalURL",
        "alerts",
    ],
    "properties": {
        "version": {"const": "4"},
        "groupKey": {"type": "string"},
        "truncatedAlerts": {"type": "integer", "minimum": 0},
        "status": {"enum": ["resolved", "firing"]},
        "receiver": {"type": "string"},
        "groupLabels": {"type": "object", "additionalProperties": {"type": "string"}},
        "commonLabels": {"type": "object", "additionalProperties": {"type": "string"}},
        "commonAnnotations": {"type": "object", "additionalProperties": {"type": "string"}},
        "externalURL": {"type": "string"},
        "alerts": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": [
                    "status",
                    "labels",
                    "annotations",
                    "startsAt",
                    "endsAt",
                    "generatorURL",
                    "fingerprint",
                ],
                "properties": {
                    "status": {"enum": ["resolved", "firing"]},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
                    "startsAt": {"type": "string", "format": "date-time"},
                    "endsAt": {"type": "string", "format": "date-time"},
                    "generatorURL": {"type": "string"},
                    "fingerprint": {"type": "string"},
                },
            },
        },
    },
}


async def test_alertmanager_format_matches_the_v4_shape(make_deliverer: MakeDeliverer) -> None:
    deliverer = await make_deliverer()
    with scripted_receiver() as receiver:
        await add(deliverer, receiver.url, payload_format=PayloadFormat.ALERTMANAGER)
        await deliverer.enqueue(alert_event())
        await run_until(deliverer, lambda: bool(receiver.requests))
    body = json.loads(receiver.requests[0].body)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    jsonschema.validate(body, ALERTMANAGER_V4, format_checker=checker)
    (alert,) = body["alerts"]
    assert alert["labels"] == {
        "alertname": "sector_score_high",
        "severity": "warning",
        "sector": "gaming",
    }
    assert alert["startsAt"] == "2026-11-20T09:00:00Z"
    assert alert["endsAt"] == "0001-01-01T00:00:00Z"
    assert sample(deliverer.metrics.deliveries, outcome="delivered") == 1


async def test_slack_format_is_a_text_message(make_deliverer: MakeDeliverer) -> None:
    deliverer = await make_deliverer()
    with scripted_receiver() as receiver:
        await add(deliverer, receiver.url, payload_format=PayloadFormat.SLACK)
        await deliverer.enqueue(alert_event())
        await run_until(deliverer, lambda: bool(receiver.requests))
    body = json.loads(receiver.requests[0].body)
    assert set(body) == {"text"}
    assert "[FIRING] warning" in body["text"]
    assert "<https://example.com/n-1|Studio ships AI-generated levels>" in body["text"]


async def test_open_circuit_holds_deliveries_without_attempts(
    make_deliverer: MakeDeliverer,
) -> None:
    deliverer = await make_deliverer(breaker_threshold=2, breaker_cooldown_s=3600.0)
    event = alert_event()
    with scripted_receiver(default_status=503) as receiver:
        endpoint = await add(deliverer, receiver.url)
        await deliverer.enqueue(event)
        await run_until(deliverer, lambda: len(receiver.requests) == 2)
        for _ in range(5):  # the retry falls due, but the circuit is open
            await deliverer.drain_once()
            await asyncio.sleep(0.05)
        await deliverer.settle()
    assert len(receiver.requests) == 2
    stored = await deliverer.queue.get(f"{endpoint.endpoint_id}:{event.event_id}")
    assert stored is not None and stored.attempts == 2 and stored.last_error == "HTTP 503"
