"""Alerter service: scores stream in, alerts stream out."""

from typing import Any

from radar_runtime import Emitter, Runtime, Setup
from radar_schemas import Envelope, EventType, SectorScored

from .domain.rules import RULE, Thresholds, evaluate, fingerprint
from .settings import AlerterSettings
from .state import AlertStateStore


class StateChanged(RuntimeError):
    """Another replica changed the alert state meanwhile; the entry is retried."""


def make_setup(settings: AlerterSettings) -> Setup:
    limits = Thresholds(settings.score_fire_above, settings.score_resolve_below)

    async def setup(rt: Runtime) -> None:
        store = AlertStateStore(rt.redis, settings.stream_prefix)

        async def handle(event: Envelope[Any], out: Emitter) -> None:
            scored: SectorScored = event.payload
            fp = fingerprint(RULE, {"sector": scored.sector.value})
            seen = await store.read(fp, event.event_id)
            alert = evaluate(scored, seen.firing, limits)
            if alert is None:
                return
            if not await store.transition(fp, seen, alert.status, event.event_id):
                raise StateChanged(f"alert {fp} changed state concurrently")
            out.emit(rt.streams.alerts, EventType.ALERT_RAISED, alert, occurred_at=scored.as_of)

        rt.consume(rt.streams.scores, handle)

    return setup
