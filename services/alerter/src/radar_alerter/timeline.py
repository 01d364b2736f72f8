"""Decisions on event time: every input waits (in Redis) until the watermark passes it, then
is decided in event-time order by one replica at a time (domain/watermark says when and in
what order). A late input (older than what was decided already) is decided on arrival, logged
and counted: nothing is dropped, and only late inputs can depend on arrival order.

Releasing happens after each input and on a periodic tick (which also releases everything
once no input has arrived for ``idle_release_s``: the newest inputs of a quiet feed, or of a
replay that ended). ``release(everything=True)`` closes the last window at once.
"""

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter

from radar_runtime import Emitter
from radar_schemas import DocumentTagged, EarningsReported, Envelope, SectorScored

from .domain.watermark import InputKind, cutoff, input_key, ms
from .pending import Admitted, PendingInputs
from .settings import AlerterSettings
from .state import StateChanged

log = structlog.get_logger("radar.alerter")

MAX_TRIES = 5
Decide = Callable[[Envelope[Any], Emitter], Awaitable[None]]


def _uncounted(kind: str) -> None:
    return None


@dataclass(frozen=True)
class Timing:
    """When inputs are decided: ``lateness_s`` of event time after the newest input, or
    all of them once no input has come for ``idle_release_s`` of wall time; and what to call
    for an input decided late or dropped (with its kind)."""

    lateness_s: float = 900.0
    idle_release_s: float = 10.0
    count_late: Callable[[str], None] = _uncounted
    count_dropped: Callable[[str], None] = _uncounted


def timing_of(settings: AlerterSettings, registry: CollectorRegistry) -> Timing:
    """The settings' timing, with its counters in ``registry`` (labelled by input stream)."""
    late = Counter(
        "radar_alerter_late_inputs_total",
        "Inputs that came later than the allowed lateness, decided on arrival, by input stream",
        ["stream"],
        registry=registry,
    )
    dropped = Counter(
        "radar_alerter_dropped_inputs_total",
        "Waiting inputs dropped after failing every try, by input stream",
        ["stream"],
        registry=registry,
    )
    return Timing(
        lateness_s=settings.allowed_lateness_s,
        idle_release_s=settings.idle_release_s,
        count_late=lambda kind: late.labels(kind).inc(),
        count_dropped=lambda kind: dropped.labels(kind).inc(),
    )


def _identity(event: Envelope[Any]) -> tuple[InputKind, str]:
    payload = event.payload
    if isinstance(payload, DocumentTagged):
        return InputKind.DOCUMENT, payload.document_id
    if isinstance(payload, EarningsReported):
        return InputKind.EARNINGS, payload.report_id
    if isinstance(payload, SectorScored):
        return InputKind.SCORE, payload.sector.value
    raise TypeError(f"the alerter takes no {type(payload).__name__}")


class Timeline:
    """Admits inputs and releases them to ``decide`` once the watermark has passed them."""

    def __init__(
        self,
        pending: PendingInputs,
        decide: Decide,
        *,
        lateness_s: float,
        idle_release_s: float,
        producer: str = "alerter",
        count_late: Callable[[str], None] = lambda kind: None,
        count_dropped: Callable[[str], None] = lambda kind: None,
    ) -> None:
        """``count_late(kind)`` / ``count_dropped(kind)``: an input decided on arrival
        because it came later than the allowed lateness / dropped after failing
        ``MAX_TRIES`` times."""
        self.pending, self.decide, self.producer = pending, decide, producer
        self.lateness_ms, self.idle_ms = int(lateness_s * 1000), int(idle_release_s * 1000)
        self.count_late, self.count_dropped = count_late, count_dropped

    async def admit(self, event: Envelope[Any], out: Emitter) -> None:
        """Keep ``event`` for its turn, or decide it now if it is late; then release."""
        kind, ident = _identity(event)
        at = event.occurred_at
        wall_ms = int(time.time() * 1000)
        admitted = await self.pending.admit(
            kind, input_key(kind, ident, at), ms(at), event, wall_ms
        )
        if admitted is Admitted.LATE:
            self.count_late(kind.value)
            log.info("late input decided on arrival", input=kind.value, id=ident, at=at.isoformat())
            await self.decide(event, out)
        try:
            await self.release()
        except Exception:  # the input is kept; the periodic release tries again
            log.exception("release failed")

    async def release(self, *, everything: bool = False) -> int:
        """Decide every pending input the watermark has passed (all of them when
        ``everything``), unless another replica is deciding; returns how many."""
        token = await self.pending.lock()
        if token is None:
            return 0
        try:
            marks = await self.pending.marks()
            wall_ms = int(time.time() * 1000)
            up_to = cutoff(
                marks,
                lateness_ms=self.lateness_ms,
                idle_ms=self.idle_ms,
                wall_ms=wall_ms,
                everything=everything,
            )
            if up_to is not None:
                await self.pending.advance(up_to)
            target = up_to if up_to is not None else marks.released_ms
            return 0 if target is None else await self._decide_due(target)
        finally:
            await self.pending.unlock(token)

    async def _decide_due(self, up_to_ms: int) -> int:
        """Decide pending inputs at or before ``up_to_ms`` (also those a crashed releaser
        left), in order, each published and removed in one script. An input that fails
        stops the release (the next one retries it); after ``MAX_TRIES`` it is dropped,
        logged and counted, so one bad input never blocks the others."""
        decided = 0
        while due := await self.pending.due(up_to_ms):
            await self.pending.keep_lock()
            for item in due:
                out = Emitter(self.producer, item.event.correlation_id, item.event.event_id)
                try:
                    await self.decide(item.event, out)
                except StateChanged:
                    raise  # a concurrent change, not a bad input: the next release retries
                except Exception:
                    if await self.pending.failed(item.key) < MAX_TRIES:
                        raise
                    log.exception("pending input dropped", key=item.key, tries=MAX_TRIES)
                    self.count_dropped(_identity(item.event)[0].value)
                    out.outputs.clear()
                await self.pending.done(item.key, out.outputs)
                decided += 1
        return decided
