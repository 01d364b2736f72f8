"""The one consume loop every service uses.

Per stream and consumer group it:
- reads new entries in bounded batches (XREADGROUP COUNT n BLOCK ms, from ``>``);
- decodes and validates each entry on its own, so one bad entry never blocks its neighbours;
- publishes a batch's outputs, then acknowledges its inputs, in one Lua script, so an entry
  is acked only once its outputs are in their streams, and a crash leaves neither;
- leaves a failed entry pending, records its error, and claims it again after ``claim_idle_ms``
  (XAUTOCLAIM) — from this consumer or from one that died — up to ``max_deliveries`` times,
  then moves it to the dead-letter stream with the error and its original fields;
- dead-letters an entry that cannot be decoded at once: retrying cannot make it valid;
- renews its claim on the batch in hand (XCLAIM JUSTID) so that a slow handler is not
  claimed and run twice by another consumer;
- on stop, finishes the batch in hand, commits it, and returns.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import ConnectionError, RedisError, ResponseError, TimeoutError

from radar_schemas import DeadLettered, Envelope, EventType, SchemaError, Streams, decode, encode
from radar_schemas import new_event as make_event

from .commit import Batch, Committer
from .emit import Emitter
from .groups import ensure_group
from .logs import EVENT_CONTEXT
from .metrics import RuntimeMetrics
from .settings import RuntimeSettings

Handler = Callable[[Envelope[Any], Emitter], Awaitable[None]]
Entry = tuple[str, dict[str, str] | None]
MAX_ERROR_CHARS = 4_000

log = structlog.get_logger("radar.consumer")


class StreamConsumer:
    """Consumes one stream as one member of one consumer group."""

    def __init__(
        self,
        redis: "Redis",
        *,
        stream: str,
        group: str,
        handler: Handler,
        service: str,
        settings: RuntimeSettings,
        metrics: RuntimeMetrics,
    ) -> None:
        self.redis, self.stream, self.group = redis, stream, group
        self.handler, self.service, self.settings = handler, service, settings
        self.metrics = metrics
        self.streams: Streams = settings.streams
        self.label = self.streams.logical_name(stream)
        self.consumer = settings.consumer_name
        self.errors_key = f"{stream}:errors:{group}"
        self.committer = Committer(redis, stream, group, self.errors_key)
        self._consumed = metrics.consumed.labels(self.label)
        self._handler_seconds = metrics.handler_seconds.labels(self.label)
        self._stop = asyncio.Event()
        self._batch_lock = asyncio.Lock()

    # -- lifecycle -------------------------------------------------------------------------

    async def run(self) -> None:
        """Read, claim and process until stop() is called; then finish the batch in hand."""
        await ensure_group(self.redis, self.stream, self.group)
        log.info("consumer started", stream=self.stream, group=self.group, consumer=self.consumer)
        reclaimer = asyncio.create_task(self._reclaim_loop(), name=f"reclaim:{self.stream}")
        try:
            while not self._stop.is_set():
                await self._guarded(self._read_once)
        finally:
            self._stop.set()
            await reclaimer
            log.info("consumer stopped", stream=self.stream, group=self.group)

    def stop(self) -> None:
        self._stop.set()

    async def _guarded(self, step: Callable[[], Awaitable[None]]) -> None:
        """Run one step; on a Redis outage, a lost group or a refused command, log, wait a
        little and go on: the entries in hand stay pending and are claimed again."""
        try:
            await step()
        except ResponseError as exc:
            if str(exc).startswith(("NOGROUP", "UNBLOCKED")):
                # The stream or group is gone (Redis restarted without persistence, FLUSH,
                # DEL): recreate the group at 0 so that whatever is written from now is read.
                log.warning("consumer group missing, recreating", stream=self.stream)
                await ensure_group(self.redis, self.stream, self.group)
                return
            log.error("redis refused a command, retrying", stream=self.stream, error=str(exc))
            await self._sleep(1.0)
        except (ConnectionError, TimeoutError) as exc:
            log.warning("redis unavailable, retrying", stream=self.stream, error=str(exc))
            await self._sleep(1.0)

    async def _sleep(self, seconds: float) -> None:
        with suppress(TimeoutError, asyncio.TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    # -- reading ---------------------------------------------------------------------------

    async def _read_once(self) -> None:
        response: Any = await self.redis.xreadgroup(
            self.group,
            self.consumer,
            {self.stream: ">"},
            count=self.settings.batch_size,
            block=self.settings.block_ms,
        )
        entries: list[Entry] = response[0][1] if response else []
        if entries:
            await self.process(entries, {entry_id: 1 for entry_id, _ in entries})

    async def _reclaim_loop(self) -> None:
        while not self._stop.is_set():
            await self._sleep(self.settings.claim_interval_ms / 1000)
            if not self._stop.is_set():
                await self._guarded(self._reclaim_all)

    async def _reclaim_all(self) -> None:
        await self.reclaim()

    async def reclaim(self) -> int:
        """Claim entries left pending longer than claim_idle_ms by any consumer of the group
        (a dead one, or this one after a failure) and process them again. Returns the count."""
        start, total = "0-0", 0
        while not self._stop.is_set():
            reply = await self.redis.xautoclaim(
                self.stream,
                self.group,
                self.consumer,
                min_idle_time=self.settings.claim_idle_ms,
                start_id=start,
                count=self.settings.batch_size,
            )
            start, entries = reply[0], reply[1]
            if entries:
                total += len(entries)
                self.metrics.claimed.labels(self.label).inc(len(entries))
                await self.process(entries, await self._delivery_counts(entries))
            if start in ("0-0", b"0-0"):
                break
        return total

    async def _delivery_counts(self, entries: list[Entry]) -> dict[str, int]:
        ids = [entry_id for entry_id, _ in entries]
        rows = await self.redis.xpending_range(
            self.stream,
            self.group,
            min=ids[0],
            max=ids[-1],
            count=len(ids) * 2,
            consumername=self.consumer,
        )
        counts = {row["message_id"]: int(row["times_delivered"]) for row in rows}
        return {entry_id: counts.get(entry_id, 1) for entry_id in ids}

    # -- processing ------------------------------------------------------------------------

    async def process(self, entries: list[Entry], deliveries: dict[str, int]) -> None:
        """Handle a batch entry by entry, then commit outputs and acks together."""
        async with self._batch_lock, self._keep_claimed([e for e, _ in entries]):
            previous = await self._previous_errors(entries, deliveries)
            outcome = Batch()
            self._consumed.inc(len(entries))
            for entry_id, fields in entries:
                await self._handle_entry(entry_id, fields, deliveries[entry_id], previous, outcome)
            await self._commit(outcome)

    async def _handle_entry(
        self,
        entry_id: str,
        fields: dict[str, str] | None,
        attempts: int,
        previous: dict[str, str],
        outcome: Batch,
    ) -> None:
        if fields is None:  # deleted from the stream while pending: nothing left to do
            outcome.acked.append(entry_id)
            return
        try:
            event = decode(fields)
        except SchemaError as exc:
            self._dead(outcome, entry_id, fields, "invalid", str(exc), attempts)
            return
        if attempts > self.settings.max_deliveries:
            # Delivered too often without an ack: the handler keeps crashing the process.
            error = previous.get(entry_id, "no ack after repeated deliveries (consumer crashed?)")
            self._dead(outcome, entry_id, fields, "failed", error, attempts, event)
            return
        emitter = Emitter(self.service, event.correlation_id, event.event_id)
        context = {
            "correlation_id": event.correlation_id,
            "event_id": event.event_id,
            "stream": self.label,
        }
        token = EVENT_CONTEXT.set(context)
        started = time.perf_counter()
        try:
            await self.handler(event, emitter)
        except Exception as exc:
            self._failed(outcome, entry_id, fields, exc, attempts, event)
            return
        finally:
            self._handler_seconds.observe(time.perf_counter() - started)
            EVENT_CONTEXT.reset(token)
        outcome.outputs.extend(emitter.outputs)
        outcome.acked.append(entry_id)

    def _failed(
        self,
        outcome: Batch,
        entry_id: str,
        fields: dict[str, str],
        exc: Exception,
        attempts: int,
        event: Envelope[Any],
    ) -> None:
        error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        self.metrics.failed.labels(self.label).inc()
        log.warning(
            "handler failed",
            error=error,
            attempt=attempts,
            entry_id=entry_id,
            correlation_id=event.correlation_id,
        )
        if attempts >= self.settings.max_deliveries:
            self._dead(outcome, entry_id, fields, "failed", error, attempts, event)
        else:
            outcome.errors[entry_id] = error

    def _dead(
        self,
        outcome: Batch,
        entry_id: str,
        fields: dict[str, str],
        reason: str,
        error: str,
        attempts: int,
        event: Envelope[Any] | None = None,
    ) -> None:
        record = DeadLettered(
            stream=self.stream,
            group=self.group,
            entry_id=entry_id,
            service=self.service,
            reason=reason,
            error=error[:MAX_ERROR_CHARS],
            attempts=attempts,
            failed_at=datetime.now(UTC),
            original={k: v[:100_000] for k, v in fields.items()},
            original_event_id=event.event_id if event else None,
        )
        now = datetime.now(UTC)
        dead_event = make_event(
            EventType.DEAD_LETTERED,
            record,
            producer=self.service,
            correlation_id=event.correlation_id if event else f"{self.stream}/{entry_id}",
            causation_id=event.event_id if event else None,
            occurred_at=now,
        )
        outcome.outputs.append((self.streams.deadletter, encode(dead_event)))
        outcome.acked.append(entry_id)
        self.metrics.deadlettered.labels(self.label, reason).inc()
        log.error("dead-lettered", reason=reason, error=error, entry_id=entry_id, attempts=attempts)

    async def _previous_errors(
        self, entries: list[Entry], deliveries: dict[str, int]
    ) -> dict[str, str]:
        redelivered = [entry_id for entry_id, _ in entries if deliveries[entry_id] > 1]
        if not redelivered:
            return {}
        values: Any = await self.redis.hmget(self.errors_key, redelivered)
        return {k: v for k, v in zip(redelivered, values, strict=True) if v is not None}

    async def _commit(self, outcome: Batch) -> None:
        """Outputs and dead letters, then the acks, in one script (see commit.py)."""
        if outcome.empty():
            return
        try:
            await self.committer.commit(outcome)
        except RedisError:
            self.metrics.commit_errors.labels(self.label).inc()
            raise
        self.metrics.count_published(outcome.outputs, self.streams.logical_name)
        self.metrics.processed.labels(self.label).inc(len(outcome.acked))

    @asynccontextmanager
    async def _keep_claimed(self, entry_ids: list[str]) -> Any:
        """Reset the idle time of the batch in hand while it is processed, so no other
        consumer claims it for running too long."""

        async def renew() -> None:
            interval_s = self.settings.claim_idle_ms / 3000
            while True:
                await asyncio.sleep(interval_s)
                with suppress(RedisError):
                    await self.redis.xclaim(
                        self.stream,
                        self.group,
                        self.consumer,
                        min_idle_time=0,
                        message_ids=list[Any](entry_ids),
                        justid=True,
                    )

        task = asyncio.create_task(renew())
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
