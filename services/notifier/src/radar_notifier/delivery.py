"""The delivery engine: alerts are queued per endpoint in Redis; a drain loop takes due
deliveries and attempts each one in its own task, at most ``per_endpoint_limit`` at a time
per endpoint and never while that endpoint's circuit is open, so that one slow or failing
endpoint never delays the others: claiming gives each endpoint only the room it has and parks
the rest (see adapters/queue.py), and every attempt ends within the timeout.

A delivery that cannot be attempted at all (its endpoint or alert unreadable, a URL or secret
the sender cannot use) is dead-lettered at once with the reason, never left to be retried."""

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import structlog
from pydantic import ValidationError

from radar_runtime import Failure, Publisher, dead_letter_entry
from radar_runtime.http import retry_after_s as retry_after
from radar_schemas import Envelope, SchemaError, Streams, decode, encode

from .adapters.queue import Delivery, DeliveryQueue
from .adapters.sender import Attempt, post_signed
from .adapters.store import EndpointStore
from .domain.breaker import CircuitBreaker
from .domain.endpoints import Endpoint, signing_secrets, wants
from .domain.payloads import render
from .domain.retry import RetrySchedule, Verdict, judge
from .metrics import NotifierMetrics, result_class

log = structlog.get_logger("radar.notifier")
SERVICE = "notifier"


@dataclass(frozen=True)
class DeliveryPolicy:
    """Limits and timings of delivery."""

    schedule: RetrySchedule = field(default_factory=RetrySchedule)
    timeout_s: float = 15.0
    per_endpoint_limit: int = 4
    max_in_flight: int = 64
    breaker_threshold: int = 5
    breaker_cooldown_s: float = 30.0
    lease_s: float = 120.0
    busy_delay_s: float = 0.25
    claim_scan_limit: int = 2_000


class Deliverer:
    """Queues alerts for the endpoints that want them and attempts the due deliveries."""

    def __init__(
        self,
        redis: Any,
        streams: Streams,
        client: httpx.AsyncClient,
        metrics: NotifierMetrics,
        policy: DeliveryPolicy,
        *,
        publisher: Publisher | None = None,
    ) -> None:
        """``publisher``: the service's (its Runtime's), which counts the dead letters."""
        self.streams, self.client, self.metrics, self.policy = streams, client, metrics, policy
        self.store = EndpointStore(redis, streams.prefix)
        self.queue = DeliveryQueue(redis, streams.prefix, publisher=publisher)
        self.in_flight: dict[str, int] = defaultdict(int)
        self.breakers: dict[str, CircuitBreaker] = {}
        self.tasks: set[asyncio.Task[None]] = set()

    async def enqueue(self, event: Envelope[Any]) -> int:
        """Queue the alert for every endpoint that wants it, due after the schedule's first
        delay (default: at once); returns how many were queued."""
        fields, queued = encode(event), 0
        now = time.time() + self.policy.schedule.delays_s[0]
        for endpoint in await self.store.all():
            if wants(endpoint, event.payload):
                queued += await self.queue.enqueue(endpoint.endpoint_id, fields, now)
        return queued

    async def drain_once(self) -> int:
        """Start an attempt for each due delivery (or put it back for later); returns how
        many attempts started."""
        free = self.policy.max_in_flight - len(self.tasks)
        now = time.time()
        started = 0
        claimed = await self.queue.claim(
            now,
            self.policy.lease_s,
            free,
            room=self.policy.per_endpoint_limit,
            rooms=self._rooms(now),
            scan_limit=self.policy.claim_scan_limit,
        )
        for delivery in claimed:
            started += await self._dispatch(delivery, now)
        self.metrics.pending.set(await self.queue.pending())
        return started

    def _rooms(self, now: float) -> dict[str, int]:
        """The endpoints with less room than ``per_endpoint_limit``: attempts in flight, an
        open circuit (none) or a half-open one (one probe)."""
        limit, rooms = self.policy.per_endpoint_limit, {}
        for endpoint_id in set(self.breakers) | {e for e, n in self.in_flight.items() if n}:
            room = max(0, limit - self.in_flight.get(endpoint_id, 0))
            breaker = self.breakers.get(endpoint_id)
            circuit = breaker.room(now) if breaker is not None else None
            if circuit is not None:
                room = min(room, circuit)
            if room < limit:
                rooms[endpoint_id] = room
        return rooms

    async def settle(self) -> None:
        """Wait for the attempts in progress."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    async def _dispatch(self, delivery: Delivery, now: float) -> int:
        endpoint_id = delivery.endpoint_id
        breaker = self.breakers.setdefault(
            endpoint_id,
            CircuitBreaker(self.policy.breaker_threshold, self.policy.breaker_cooldown_s),
        )
        if self.in_flight[endpoint_id] >= self.policy.per_endpoint_limit:
            await self._defer(delivery, now + self.policy.busy_delay_s)
            return 0
        if not breaker.allows(now):
            await self._defer(delivery, breaker.retry_at(now))
            return 0
        self.in_flight[endpoint_id] += 1
        task = asyncio.create_task(self._attempt(delivery), name=f"deliver:{endpoint_id}")
        self.tasks.add(task)
        task.add_done_callback(lambda t: self._done(t, endpoint_id))
        return 1

    def _done(self, task: asyncio.Task[None], endpoint_id: str) -> None:
        self.tasks.discard(task)
        self.in_flight[endpoint_id] -= 1
        if not task.cancelled() and task.exception() is not None:
            # The lease makes the delivery due again; nothing is lost.
            log.error("delivery attempt crashed", error=repr(task.exception()))

    async def _defer(self, delivery: Delivery, due: float) -> None:
        await self.queue.reschedule(
            delivery, due, attempts=delivery.attempts, error=delivery.last_error
        )

    async def _attempt(self, delivery: Delivery) -> None:
        try:
            endpoint = await self.store.get(delivery.endpoint_id)
        except ValidationError as exc:
            error = f"stored endpoint unreadable: {exc.error_count()} error(s)"
            await self._dead_letter(delivery, "rejected", error, delivery.attempts)
            return
        if endpoint is None:
            await self.queue.finish(delivery)
            self.metrics.deliveries.labels("dropped").inc()
            return
        if not endpoint.enabled:
            error = f"endpoint disabled: {endpoint.disabled_reason}"
            await self._dead_letter(delivery, "disabled", error, delivery.attempts)
            return
        try:
            event = decode(delivery.event_fields)
            body = render(endpoint.payload_format, event)
        except (SchemaError, ValueError, TypeError, KeyError) as exc:
            error = f"alert cannot be rendered: {type(exc).__name__}: {exc}"
            await self._dead_letter(delivery, "rejected", error, delivery.attempts + 1)
            return
        secrets = signing_secrets(endpoint, datetime.now(UTC))
        attempt = await post_signed(
            self.client,
            endpoint.url,
            secrets,
            event.event_id,
            body,
            timeout_s=self.policy.timeout_s,
        )
        self.metrics.attempts.labels(
            result_class(attempt.status, attempt.error, attempt.refused)
        ).inc()
        self.metrics.attempt_seconds.observe(attempt.duration_s)
        await self._conclude(delivery, endpoint, attempt)

    async def _conclude(self, delivery: Delivery, endpoint: Endpoint, attempt: Attempt) -> None:
        attempts, now = delivery.attempts + 1, time.time()
        if attempt.refused:
            await self._dead_letter(delivery, "refused", attempt.error, attempts)
            return
        if attempt.unusable:  # the same URL or secret would fail the same way again
            await self._dead_letter(delivery, "rejected", attempt.error, attempts)
            return
        verdict = judge(attempt.status)
        self.breakers[endpoint.endpoint_id].record(verdict is not Verdict.RETRY, now)
        if verdict is Verdict.DELIVERED:
            await self.queue.finish(delivery)
            self.metrics.deliveries.labels("delivered").inc()
            self.metrics.latency.observe(max(0.0, now - delivery.queued_at))
            log.info("webhook delivered", endpoint=endpoint.endpoint_id, attempts=attempts)
        elif verdict is Verdict.DISABLE:
            await self.store.disable(endpoint.endpoint_id, attempt.error or "HTTP 410")
            self.metrics.disabled.inc()
            log.warning("webhook endpoint disabled (410 Gone)", endpoint=endpoint.endpoint_id)
            await self._dead_letter(delivery, "disabled", attempt.error, attempts)
        elif verdict is Verdict.REJECTED:
            await self._dead_letter(delivery, "rejected", attempt.error, attempts)
        else:
            await self._retry(delivery, attempt, attempts, now)

    async def _retry(self, delivery: Delivery, attempt: Attempt, attempts: int, now: float) -> None:
        retry_after_s = retry_after(attempt.retry_after, datetime.now(UTC))
        delay_s = self.policy.schedule.next_delay_s(attempts, retry_after_s)
        if delay_s is None:
            error = f"gave up after {attempts} attempts; last: {attempt.error}"
            await self._dead_letter(delivery, "exhausted", error, attempts)
            return
        await self.queue.reschedule(delivery, now + delay_s, attempts=attempts, error=attempt.error)
        self.metrics.deliveries.labels("retried").inc()
        log.warning(
            "webhook attempt failed, retrying",
            endpoint=delivery.endpoint_id,
            error=attempt.error,
            attempts=attempts,
            retry_in_s=round(delay_s, 1),
        )

    async def _dead_letter(
        self, delivery: Delivery, reason: str, error: str, attempts: int
    ) -> None:
        failure = Failure(
            stream=self.streams.alerts,
            group=SERVICE,
            entry_id=f"webhook:{delivery.endpoint_id}",
            service=SERVICE,
            reason=reason,
            error=error,
            attempts=attempts,
        )
        entry = dead_letter_entry(
            self.streams,
            failure,
            delivery.event_fields,
            original_event_id=delivery.event_fields.get("event_id"),
            correlation_id=delivery.event_fields.get("correlation_id") or delivery.delivery_id,
        )
        await self.queue.finish(delivery, dead_letter=entry)
        self.metrics.deliveries.labels(reason).inc()
        log.error(
            "webhook dead-lettered", endpoint=delivery.endpoint_id, reason=reason, error=error
        )
