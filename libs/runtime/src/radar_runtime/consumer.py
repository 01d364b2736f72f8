"""The one consume loop every service uses.

Per stream and consumer group it:
- reads new entries in bounded batches (XREADGROUP COUNT n BLOCK ms, from ``>``);
- decodes and validates each entry on its own, so one bad entry never blocks its neighbours;
- publishes a batch's outputs, then acknowledges its inputs, in one Lua script, so an entry
  is acked only once its outputs are in their streams, and a crash leaves neither;
- leaves a failed entry pending, records its error, and claims it again after ``claim_idle_ms``
  (XAUTOCLAIM) — from this consumer or from one that died — up to ``max_deliveries`` times,
  then moves it to the dead-letter stream with the error and its original fields;
- reads entries as bytes and decodes them field by field, and dead-letters an entry that
  cannot be decoded (not UTF-8, not an envelope, an unknown schema version), or whose event
  type its group does not read on that stream (reason ``unexpected``), at once: retrying
  cannot make it valid;
- gives a handler ``handler_timeout_s`` per entry; past it, the delivery counts as failed;
- renews its claim on the batch in hand (XCLAIM JUSTID) so that a slow handler is not
  claimed and run twice by another consumer;
- waits and goes on through a Redis outage, a lost group or a refused command; any other
  error in reading or claiming is logged, counted and raised: the loop ends, and the
  service exits non-zero so that its supervisor restarts it (see service.py);
- on stop, finishes the batch in hand, commits it, and returns.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import asynccontextmanager, suppress
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import ConnectionError, RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from radar_schemas import Envelope, EventType, SchemaError, Streams, decode
from radar_schemas.wire import NotUtf8Error, fields_from_bytes

from .commit import Batch, Committer
from .deadletters import MAX_ERROR_CHARS, Failure, dead_letter_entry
from .emit import Emitter, Publisher
from .groups import ensure_group
from .logs import EVENT_CONTEXT
from .metrics import RuntimeMetrics
from .redis_client import RawEntry, autoclaim, hmget_lenient, read_group
from .settings import RuntimeSettings
from .waits import wait_set

Handler = Callable[[Envelope[Any], Emitter], Awaitable[None]]
Entry = RawEntry
RETRY_PAUSE_S = 1.0

log = structlog.get_logger("radar.consumer")


class HandlerTimeout(Exception):
    """A handler ran past its time limit."""


class HandlerTimeLimit:
    """Runs handler calls one at a time, each under a time limit, with one timer for many
    calls: asyncio.timeout arms and cancels a timer per call, about 8 µs, a sixth of the
    consume loop's own cost per entry. The timer is armed, when none is, at the running
    call's deadline; when it fires it re-arms for the call running then, or cancels that
    call if it is past its deadline, which then raises HandlerTimeout."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self._task: asyncio.Task[Any] | None = None
        self._deadline: float | None = None  # the running call's; None between calls
        self._timer: asyncio.TimerHandle | None = None
        self._expired = False

    async def run(self, call: Awaitable[None]) -> None:
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        if task is None:
            raise RuntimeError("HandlerTimeLimit.run needs a task")
        cancelling = task.cancelling()
        self._task, self._deadline = task, loop.time() + self.limit_s
        if self._timer is None:
            self._timer = loop.call_at(self._deadline, self._check)
        try:
            await call
        except asyncio.CancelledError:
            # Cancelled by this limit alone: a timeout. Also from elsewhere (a shutdown): stay
            # cancelled.
            if self._take_expiry(task) and task.cancelling() <= cancelling:
                raise HandlerTimeout(
                    f"the handler ran past its time limit of {self.limit_s:g} s"
                ) from None
            raise
        finally:
            self._deadline = None
            self._take_expiry(task)  # the call may have swallowed its cancellation

    def _take_expiry(self, task: "asyncio.Task[Any]") -> bool:
        """Whether this limit cancelled the call; if so, withdraws that cancellation's count."""
        if not self._expired:
            return False
        self._expired = False
        task.uncancel()
        return True

    def _check(self) -> None:
        self._timer = None
        if self._deadline is None or self._task is None:
            return  # between calls: the next call arms the timer
        loop = asyncio.get_running_loop()
        if loop.time() < self._deadline:
            self._timer = loop.call_at(self._deadline, self._check)
            return
        self._expired = True
        self._task.cancel()


def configured_handler_timeout_s(settings: RuntimeSettings) -> float:
    """The per-entry handler time limit (RADAR_HANDLER_TIMEOUT_S)."""
    return settings.handler_timeout_s


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
        handler_timeout_s: float | None = None,
        event_types: frozenset[EventType] | None = None,
    ) -> None:
        self.redis, self.stream, self.group = redis, stream, group
        # The event types this group reads here (None: any); others are dead-lettered at once.
        self.event_types = event_types
        self.handler, self.service, self.settings = handler, service, settings
        self.metrics = metrics
        if handler_timeout_s is None:
            handler_timeout_s = configured_handler_timeout_s(settings)
        self.handler_timeout_s = handler_timeout_s
        self._time_limit = HandlerTimeLimit(handler_timeout_s)
        self.streams: Streams = settings.streams
        self.label = self.streams.logical_name(stream)
        self.consumer = settings.consumer_name
        self.errors_key = f"{stream}:errors:{group}"
        self.committer = Committer(
            Publisher(redis, metrics, self.streams), stream, group, self.errors_key
        )
        self._consumed = metrics.consumed.labels(self.label)
        self._handler_seconds = metrics.handler_seconds.labels(self.label)
        self._stop = asyncio.Event()
        self._batch_lock = asyncio.Lock()
        self._group_lost = False

    # -- lifecycle -------------------------------------------------------------------------

    async def run(self) -> None:
        """Read, claim and process until stop() is called; then finish the batch in hand.
        Raises the error that ended the read or the reclaim loop, if one did."""
        await ensure_group(self.redis, self.stream, self.group)
        log.info("consumer started", stream=self.stream, group=self.group, consumer=self.consumer)
        reclaimer = asyncio.create_task(self._reclaim_loop(), name=f"reclaim:{self.stream}")
        try:
            while not self._stop.is_set():
                await self._guarded("read", self._read_once)
        finally:
            self._stop.set()
            await reclaimer  # raises the reclaim loop's error, if it ended with one
            log.info("consumer stopped", stream=self.stream, group=self.group)

    def stop(self) -> None:
        self._stop.set()

    async def _guarded(self, step: str, run_step: Callable[[], Awaitable[object]]) -> None:
        """Run one step. Through a Redis outage, a lost group or a refused command: log,
        count, wait a little and go on (the entries in hand stay pending and are claimed
        again). Any other error: log, count and raise, ending the loop; retrying would fail
        the same way, unseen, while the entries pile up."""
        try:
            if self._group_lost:
                await self._recreate_group()
            await run_step()
        except ResponseError as exc:
            await self._refused(exc)
        # OSError: a socket error the client let through unwrapped is an outage too.
        except (ConnectionError, RedisTimeoutError, OSError) as exc:
            self._count_error("redis_unavailable")
            log.warning("redis unavailable, retrying", stream=self.stream, error=str(exc))
            await self._sleep(RETRY_PAUSE_S)
        except Exception:
            self._count_error("unexpected")
            log.exception("consume loop failed, stopping it", stream=self.stream, step=step)
            raise

    async def _refused(self, exc: ResponseError) -> None:
        if str(exc).startswith(("NOGROUP", "UNBLOCKED")):
            # The stream or group is gone (Redis restarted without persistence, FLUSH, DEL):
            # recreate the group at 0 before the next step, so whatever is written is read.
            self._count_error("group_missing")
            log.warning("consumer group missing, recreating", stream=self.stream)
            self._group_lost = True
            return
        self._count_error("redis_refused")
        log.error("redis refused a command, retrying", stream=self.stream, error=str(exc))
        await self._sleep(RETRY_PAUSE_S)

    async def _recreate_group(self) -> None:
        await ensure_group(self.redis, self.stream, self.group)
        self._group_lost = False
        # The old group's lag and pending are void; the monitor exports the new group's.
        self.metrics.forget_group(self.label, self.group)

    def _count_error(self, kind: str) -> None:
        self.metrics.loop_errors.labels(self.label, kind).inc()

    async def _sleep(self, seconds: float) -> None:
        await wait_set(self._stop, seconds)

    # -- reading ---------------------------------------------------------------------------

    async def _read_once(self) -> None:
        entries = await read_group(
            self.redis,
            self.stream,
            self.group,
            self.consumer,
            count=self.settings.batch_size,
            block_ms=self.settings.block_ms,
        )
        if entries:
            await self.process(entries, {entry_id: 1 for entry_id, _ in entries})

    async def _reclaim_loop(self) -> None:
        try:
            while not self._stop.is_set():
                await self._sleep(self.settings.claim_interval_ms / 1000)
                if not self._stop.is_set():
                    await self._guarded("reclaim", self.reclaim)
        except Exception:
            self._stop.set()  # the read loop ends too, and run() raises this error
            raise

    async def reclaim(self) -> int:
        """Claim entries left pending longer than claim_idle_ms by any consumer of the group
        (a dead one, or this one after a failure) and process them again. Returns the count."""
        start, total = "0-0", 0
        while not self._stop.is_set():
            start, entries = await autoclaim(
                self.redis,
                self.stream,
                self.group,
                self.consumer,
                min_idle_ms=self.settings.claim_idle_ms,
                start_id=start,
                count=self.settings.batch_size,
            )
            if entries:
                total += len(entries)
                self.metrics.claimed.labels(self.label).inc(len(entries))
                await self.process(entries, await self._delivery_counts(entries))
            if start == "0-0":
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
        raw: dict[bytes, bytes] | None,
        attempts: int,
        previous: dict[str, str],
        outcome: Batch,
    ) -> None:
        if raw is None:  # deleted from the stream while pending: nothing left to do
            outcome.acked.append(entry_id)
            return
        decoded = self._decode(entry_id, raw, attempts, outcome)
        if decoded is None:
            return
        fields, event = decoded
        if self.event_types is not None and event.event_type not in self.event_types:
            why = unexpected_type_error(event.event_type, self.label, self.group, self.event_types)
            self._dead(outcome, entry_id, fields, "unexpected", why, attempts, event)
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
            # Past its time limit the delivery counts as failed: a handler that hangs is
            # retried, then dead-lettered, instead of holding its batch (claim renewed) forever.
            await self._time_limit.run(self.handler(event, emitter))
        except Exception as exc:
            self._failed(outcome, entry_id, fields, exc, attempts, event)
            return
        finally:
            self._handler_seconds.observe(time.perf_counter() - started)
            EVENT_CONTEXT.reset(token)
        outcome.outputs.extend(emitter.outputs)
        outcome.acked.append(entry_id)

    def _decode(
        self, entry_id: str, raw: dict[bytes, bytes], attempts: int, outcome: Batch
    ) -> tuple[dict[str, str], Envelope[Any]] | None:
        """The entry's text fields and event; None when it cannot be decoded, and then it is
        dead-lettered at once (with its bytes, base64-encoded where they are not UTF-8)."""
        try:
            fields = fields_from_bytes(raw)
        except NotUtf8Error as exc:
            self._dead(outcome, entry_id, exc.original, "invalid", str(exc), attempts)
            return None
        try:
            return fields, decode(fields)
        except SchemaError as exc:
            error = str(exc)
        except Exception as exc:  # a fault in decoding costs this entry, never the loop
            error = _error_text(exc)
        self._dead(outcome, entry_id, fields, "invalid", error, attempts)
        return None

    def _failed(
        self,
        outcome: Batch,
        entry_id: str,
        fields: dict[str, str],
        exc: Exception,
        attempts: int,
        event: Envelope[Any],
    ) -> None:
        error = _error_text(exc)
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
        fields: Mapping[str, str],
        reason: str,
        error: str,
        attempts: int,
        event: Envelope[Any] | None = None,
    ) -> None:
        failure = Failure(self.stream, self.group, entry_id, self.service, reason, error, attempts)
        outcome.outputs.append(
            dead_letter_entry(
                self.streams,
                failure,
                fields,
                original_event_id=event.event_id if event else None,
                correlation_id=event.correlation_id if event else None,
            )
        )
        outcome.acked.append(entry_id)
        self.metrics.deadlettered.labels(self.label, reason).inc()
        log.error("dead-lettered", reason=reason, error=error, entry_id=entry_id, attempts=attempts)

    async def _previous_errors(
        self, entries: list[Entry], deliveries: dict[str, int]
    ) -> dict[str, str]:
        redelivered = [entry_id for entry_id, _ in entries if deliveries[entry_id] > 1]
        if not redelivered:
            return {}
        values = await hmget_lenient(self.redis, self.errors_key, redelivered)
        return {k: v for k, v in zip(redelivered, values, strict=True) if v is not None}

    async def _commit(self, outcome: Batch) -> None:
        """Outputs and dead letters, then the acks, in one script (see commit.py); the
        publisher counts the outputs added."""
        if outcome.empty():
            return
        try:
            acked = await self.committer.commit(outcome)
        except RedisError:
            self.metrics.commit_errors.labels(self.label).inc()
            raise
        self.metrics.processed.labels(self.label).inc(acked)

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
            # asyncio.wait, not `await task` under suppress(CancelledError): that would also
            # swallow a cancellation of this task that lands while the renewal winds down.
            await asyncio.wait([task])
            if not task.cancelled():
                task.result()  # an error other than Redis's that ended the renewal


def unexpected_type_error(
    event_type: EventType, stream: str, group: str, expected: frozenset[EventType]
) -> str:
    """Why an entry of a type its group does not read is dead-lettered without a retry: its
    writer broke the topology (see radar_schemas.topology), and no retry can handle it."""
    names = ", ".join(sorted(expected))
    return (
        f"unexpected event type {event_type.value} on stream {stream}: group {group} reads"
        f" only {names} there"
    )


def _error_text(exc: BaseException) -> str:
    """``Type: message``, bounded, and encodable as UTF-8 (a lone surrogate in a message would
    make the commit's JSON encoding fail for the whole batch)."""
    text = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
