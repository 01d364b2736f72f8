"""The alerter's handlers: observe, decide per fingerprint, store, notify (or hold, or mute)."""

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from redis.asyncio import Redis

from radar_reference import ReferenceData
from radar_runtime import Emitter, Publisher
from radar_schemas import (
    AlertRaised,
    AlertStatus,
    DocumentTagged,
    EarningsReported,
    Envelope,
    EventType,
    Sector,
    SectorScored,
    Streams,
    encode,
    new_event,
)

from .domain import conditions
from .domain.conditions import Observation
from .domain.lifecycle import Policy, decide
from .domain.rules import DocumentRule, EarningsRule, RuleSet, ThresholdRule, fingerprint
from .domain.silences import Silence, inhibited_by, inhibition_key, silenced, targets
from .events import DocumentNotes, EventIndex
from .groups import GroupBuffer, Held
from .mutes import InhibitionStore, SilenceStore
from .pending import PendingInputs
from .state import AlertStateStore, StateChanged
from .timeline import Timeline, Timing

log = structlog.get_logger("radar.alerter")


DEFAULT_TIMING = Timing()


def _now() -> datetime:
    return datetime.now(UTC)


class Alerter:
    """Applies the rule set to scores, documents and earnings reports."""

    def __init__(
        self,
        redis: "Redis",
        prefix: str,
        rules: RuleSet,
        reference: ReferenceData,
        clock: Callable[[], datetime] = _now,
        count: Callable[[str, str, str, str], None] = lambda rule, severity, status, outcome: None,
        timing: Timing = DEFAULT_TIMING,
        publisher: Publisher | None = None,
    ) -> None:
        """``count(rule, severity, status, outcome)`` is called for every notification decided:
        outcome ``sent``, ``held`` (group_wait), ``redelivered`` or ``muted``. ``timing``:
        when inputs are decided (allowed lateness, idle release) and the late-input counters.
        ``publisher`` (the service's) counts the alerts a group flush adds."""
        self.rules, self.reference, self.clock, self.count = rules, reference, clock, count
        self.streams = Streams(prefix)
        self.states = AlertStateStore(redis, prefix)
        self.silences = SilenceStore(redis, prefix)
        self.inhibitions = InhibitionStore(redis, prefix)
        self.groups = GroupBuffer(redis, prefix, self.streams.alerts, publisher=publisher)
        self.events = EventIndex(redis, prefix)
        self.notes = DocumentNotes(redis, prefix)
        self.by_name = {rule.name: rule for rule in rules.rules}
        pending = PendingInputs(redis, prefix, self.streams.alerts, publisher=publisher)
        self.timeline = Timeline(
            pending,
            self.decide,
            lateness_s=timing.lateness_s,
            idle_release_s=timing.idle_release_s,
            count_late=timing.count_late,
            count_dropped=timing.count_dropped,
        )

    async def on_scored(self, event: Envelope[Any], out: Emitter) -> None:
        await self.timeline.admit(event, out)

    async def on_document(self, event: Envelope[Any], out: Emitter) -> None:
        doc: DocumentTagged = event.payload
        if doc.relevant:  # named later when a sector's move is driven by it
            await self.notes.remember(doc.document_id, conditions.note(doc, self.reference))
        await self.timeline.admit(event, out)

    async def on_earnings(self, event: Envelope[Any], out: Emitter) -> None:
        await self.timeline.admit(event, out)

    async def decide(self, event: Envelope[Any], out: Emitter) -> None:
        """Apply the rules to one input, once its turn in event time has come."""
        payload = event.payload
        if isinstance(payload, SectorScored):
            rules = [r for r in self.rules.rules if isinstance(r, ThresholdRule)]
            notes = await self.notes.recall(c.document_id for c in payload.top_contributors)
            seen = [conditions.threshold(rule, payload, notes) for rule in rules]
            await self.apply([o for o in seen if o is not None], event, out)
        elif isinstance(payload, DocumentTagged):
            docs = [r for r in self.rules.rules if isinstance(r, DocumentRule)]
            found = [o for r in docs for o in conditions.document(r, payload, self.reference)]
            await self.apply(found, event, out)
        elif isinstance(payload, EarningsReported):
            await self.apply(self._earnings(payload), event, out)

    def _earnings(self, report: EarningsReported) -> list[Observation]:
        record = self.reference.by_ticker.get(report.company.ticker.upper())
        sectors: tuple[Sector, ...] = record.sectors if record else ()
        rules = [r for r in self.rules.rules if isinstance(r, EarningsRule)]
        return [o for r in rules for o in conditions.earnings(r, report, sectors, self.reference)]

    async def apply(
        self, observations: list[Observation], event: Envelope[Any], out: Emitter
    ) -> None:
        """Decide each observation against its fingerprint's record, in a stable order:
        rules that inhibit others first, so that what they mute is muted at once."""
        await self.groups.flush_due(event_time=event.occurred_at)
        silences = await self.silences.all() if observations else []

        def order(o: Observation) -> tuple[bool, str, list[tuple[str, str]]]:
            return (not self.rules.inhibition_source(o.rule), o.rule, sorted(o.labels.items()))

        for obs in sorted(observations, key=order):
            await self._apply_one(obs, event, out, silences)

    async def _fingerprint(self, obs: Observation) -> str:
        """By labels; an event card by its aliases (the card a source of it opened)."""
        if not obs.aliases or obs.ends_at is None:
            return fingerprint(obs.rule, obs.labels)
        opened = {"event": obs.aliases[0], "at": obs.at.isoformat()}
        source = f"{obs.rule}|{','.join(obs.correlation_ids)}"
        window_s = (obs.ends_at - obs.at).total_seconds()
        candidate = fingerprint(obs.rule, opened)
        return await self.events.resolve(source, obs.aliases, candidate, obs.at, window_s)

    async def _apply_one(
        self, obs: Observation, event: Envelope[Any], out: Emitter, silences: list[Silence]
    ) -> None:
        rule = self.by_name[obs.rule]
        fp = await self._fingerprint(obs)
        muted = silenced(silences, obs.rule, obs.labels, self.clock()) or await self._inhibited(obs)
        policy = Policy(
            fingerprint=fp,
            group_key=self.rules.group_key(rule, obs.labels),
            repeat_interval_s=self.rules.repeat_interval(rule),
            muted=muted,
            stale_after_s=self.rules.stale_after_s,
        )
        seen = await self.states.read(fp, event.event_id)
        if seen.redo:  # delivered again: publish what the first attempt decided
            for alert in seen.alerts:
                await self._notify(alert, obs, event, out)
            return
        decision = decide(seen.record, obs, policy)
        if decision.record is None:
            return
        if decision.record.firing_at(obs.at):
            await self._start_inhibitions(obs)
        if not await self.states.write(fp, seen, decision.record, decision.alerts, event.event_id):
            raise StateChanged(f"alert {fp} changed state concurrently")
        for alert in decision.alerts:
            await self._notify(alert, obs, event, out)
        if not decision.alerts and muted and obs.fires:
            self.count(obs.rule, obs.severity.value, "firing", "muted")

    async def _inhibited(self, obs: Observation) -> bool:
        for inhibition in targets(self.rules.inhibit, obs.rule):
            key = inhibition_key(obs.rule, inhibition.equal, obs.labels)
            if key and await self.inhibitions.active(key, obs.at):
                return True
        return False

    async def _start_inhibitions(self, obs: Observation) -> None:
        """Mute the targets for the alert's labels, and for every sector its card reaches."""
        label_sets = [obs.labels]
        if obs.card is not None and "sector" in obs.labels:
            label_sets += [{**obs.labels, "sector": s.value} for s in obs.card.sectors]
        for inhibition in inhibited_by(self.rules.inhibit, obs.rule):
            end = obs.at + timedelta(seconds=inhibition.duration_s)
            for target in inhibition.target_rules:
                keys = {inhibition_key(target, inhibition.equal, labels) for labels in label_sets}
                for key in sorted(k for k in keys if k):
                    await self.inhibitions.inhibit(key, obs.at, end)

    async def _notify(
        self, alert: AlertRaised, obs: Observation, event: Envelope[Any], out: Emitter
    ) -> None:
        """Publish now with the input's ack, or hold in the alert's group for group_wait."""
        wait_s, status = self.rules.group_wait_s, alert.status.value
        if wait_s <= 0:
            out.emit(self.streams.alerts, EventType.ALERT_RAISED, alert, occurred_at=obs.at)
            self.count(alert.rule, alert.severity.value, status, "sent")
            return
        envelope = new_event(
            EventType.ALERT_RAISED,
            alert,
            producer=out.producer,
            correlation_id=out.correlation_id,
            causation_id=out.causation_id,
            occurred_at=obs.at,
        )
        order = "0" if alert.status is AlertStatus.FIRING else "1"
        at_ms, start_ms = int(obs.at.timestamp() * 1000), int(alert.starts_at.timestamp() * 1000)
        identity = (
            f"{at_ms:015d}:{alert.fingerprint}:{start_ms:015d}:{alert.notification:05d}:{order}"
        )
        outcome = await self.groups.hold(
            alert.group_key,
            identity,
            encode(envelope),
            opens=alert.status is AlertStatus.FIRING and alert.notification == 1,
            at=obs.at,
            due=obs.at + timedelta(seconds=wait_s),
            wall_due_ms=int(time.time() * 1000 + wait_s * 1000),
        )
        if outcome is Held.NOT_HELD:
            out.emit(self.streams.alerts, EventType.ALERT_RAISED, alert, occurred_at=obs.at)
        elif outcome is Held.SENT_ALREADY:
            log.info("alert already handled", fingerprint=alert.fingerprint)
        names = {Held.NOT_HELD: "sent", Held.SENT_ALREADY: "redelivered"}
        self.count(alert.rule, alert.severity.value, status, names.get(outcome, "held"))
