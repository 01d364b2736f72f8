"""The life of one alert (one fingerprint): firing, repeated, updated, resolved; muted by
silences and inhibitions. Every time here is event time, so a replay makes the same
decisions. Pure."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict

from radar_schemas import AlertEvidence, AlertRaised, AlertStatus, Severity
from radar_schemas.alerts import EventCard

from . import cards
from .conditions import Observation


class AlertRecord(BaseModel):
    """What is kept per fingerprint between two observations."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: AlertStatus
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None
    last_at: AwareDatetime
    notified_at: AwareDatetime | None = None
    notifications: int = 0  # firing notifications sent since starts_at
    # An event card's state: the card so far, the labels it opened with, and what the last
    # notification said (an update goes out when confirmation or severity grows).
    card: EventCard | None = None
    labels: dict[str, str] | None = None
    severity: Severity | None = None
    notified_confirmations: int = 0

    def firing_at(self, at: datetime) -> bool:
        """Firing, and (for one-shot alerts) not yet past its end."""
        expired = self.ends_at is not None and at >= self.ends_at
        return self.status is AlertStatus.FIRING and not expired


@dataclass(frozen=True)
class Policy:
    """How one alert is notified."""

    fingerprint: str
    group_key: str
    repeat_interval_s: float
    muted: bool  # silenced or inhibited right now
    stale_after_s: float | None = None  # a firing alert not observed this long has ended


@dataclass(frozen=True)
class Decision:
    record: AlertRecord | None  # the record to store; None: leave it as it is
    alerts: tuple[AlertRaised, ...] = ()  # the notifications to publish, in order

    @property
    def alert(self) -> AlertRaised | None:
        """The last notification (the one about the observation), if any."""
        return self.alerts[-1] if self.alerts else None


NOTHING = Decision(None)


def decide(record: AlertRecord | None, obs: Observation, policy: Policy) -> Decision:
    """The next state of an alert and the notifications it sends, if any. An observation
    older than the newest one applied is stale (a late or reordered update) and changes
    nothing, except that a late source of an open event card joins the card."""
    if obs.card is not None and obs.ends_at is not None:
        return _decide_card(record, obs, policy)
    if record is not None and obs.at < record.last_at:
        return NOTHING
    ended: tuple[AlertRaised, ...] = ()
    if record is not None and _stale(record, obs, policy):
        record, ended = _end_stale(record, obs, policy)
    if record is not None and record.firing_at(obs.at):
        if obs.clears and obs.ends_at is None:
            return _resolve(record, obs, policy)
        return _keep_firing(record, obs, policy)
    if obs.fires:
        started = AlertRecord(
            status=AlertStatus.FIRING,
            starts_at=obs.at,
            ends_at=obs.ends_at,
            last_at=obs.at,
            labels=obs.labels,
        )
        if policy.muted:
            return Decision(started, ended)
        sent = _notify(started, obs, policy)
        return Decision(sent.record, ended + sent.alerts)
    if ended:
        return Decision(record, ended)
    return NOTHING


def _stale(record: AlertRecord, obs: Observation, policy: Policy) -> bool:
    """A condition alert (no end of its own) whose last update is older than
    ``stale_after_s``: it ended at its last update (nothing kept it firing since)."""
    return (
        policy.stale_after_s is not None
        and record.ends_at is None
        and record.status is AlertStatus.FIRING
        and (obs.at - record.last_at).total_seconds() >= policy.stale_after_s
    )


def _end_stale(
    record: AlertRecord, obs: Observation, policy: Policy
) -> tuple[AlertRecord, tuple[AlertRaised, ...]]:
    done = record.model_copy(update={"status": AlertStatus.RESOLVED, "ends_at": record.last_at})
    if record.notifications == 0:
        return done, ()
    since = cards.stamp(record.last_at, record.card)
    labels = record.labels or obs.labels
    what = " ".join(labels[k] for k in sorted(labels))
    last = replace(
        obs,
        labels=labels,
        summary=f"resolved: {obs.rule} {what}: no update since {since}",
        severity=record.severity or obs.severity,
        card=record.card,
    )
    return done, (_alert(done, last, policy, AlertStatus.RESOLVED),)


def _keep_firing(record: AlertRecord, obs: Observation, policy: Policy) -> Decision:
    seen = record.model_copy(update={"last_at": obs.at, "card": obs.card})
    if policy.muted:
        return Decision(seen)
    if (
        record.notifications == 0
        or (
            record.notified_at is not None
            and (obs.at - record.notified_at).total_seconds() >= policy.repeat_interval_s
        )
        # a higher severity (warning to critical) is news now, not at the next reminder
        or (record.severity is not None and _grew(record.severity, obs.severity))
    ):
        return _notify(seen, obs, policy)
    return Decision(seen)


def _notify(record: AlertRecord, obs: Observation, policy: Policy) -> Decision:
    sent = record.model_copy(
        update={
            "notified_at": obs.at,
            "notifications": record.notifications + 1,
            "severity": obs.severity,
            "card": obs.card if record.card is None else record.card,
            "notified_confirmations": obs.card.confirmations if obs.card else 0,
        }
    )
    if sent.notifications > 1:  # a repeat: say so, and since when
        since = cards.stamp(sent.starts_at, sent.card)
        obs = replace(obs, summary=cards.repeated(obs.summary, since))
    return Decision(sent, (_alert(sent, obs, policy, AlertStatus.FIRING),))


def _resolve(record: AlertRecord, obs: Observation, policy: Policy) -> Decision:
    """Resolved; the notification goes out whenever the firing one did, muted or not, so no
    receiver is left holding an alert that never ends."""
    done = record.model_copy(
        update={"status": AlertStatus.RESOLVED, "ends_at": obs.at, "last_at": obs.at}
    )
    if record.notifications == 0:
        return Decision(done)
    summary = f"resolved: {obs.summary}"
    resolved = replace(obs, summary=summary)
    return Decision(done, (_alert(done, resolved, policy, AlertStatus.RESOLVED),))


# -- event cards ------------------------------------------------------------------------


def _decide_card(record: AlertRecord | None, obs: Observation, policy: Policy) -> Decision:
    """An event card: the first source opens it; a later (or late) source of the same event
    while it is open joins it, and the card is notified again only when it gained an
    independent source or a higher severity; a source after it ended opens a new one."""
    assert obs.card is not None and obs.ends_at is not None
    window = obs.ends_at - obs.at
    if record is not None and record.card is not None and _joins(record, obs, window):
        return _join(record, obs, policy)
    if record is not None and obs.at < record.last_at:
        return NOTHING  # older than the newest source, and outside the open card
    opened = AlertRecord(
        status=AlertStatus.FIRING,
        starts_at=obs.at,
        ends_at=obs.ends_at,
        last_at=obs.at,
        card=obs.card,
        labels=obs.labels,
        severity=obs.severity,
    )
    if policy.muted:
        return Decision(opened)
    return _notify_card(opened, obs, policy, update=False)


def _joins(record: AlertRecord, obs: Observation, window: timedelta) -> bool:
    if record.status is not AlertStatus.FIRING or record.ends_at is None:
        return False
    return record.starts_at - window <= obs.at < record.ends_at


def _join(record: AlertRecord, obs: Observation, policy: Policy) -> Decision:
    assert record.card is not None and obs.card is not None and obs.ends_at is not None
    merged = cards.merge(record.card, obs.card)
    if merged == record.card:
        return NOTHING  # a source the card has already: a redelivery or a replay
    if obs.card_policy is not None:
        severity = cards.severity(merged, obs.card_policy)
    else:
        severity = max(record.severity or obs.severity, obs.severity, key=cards.rank)
    grown = record.model_copy(
        update={
            "card": merged,
            "ends_at": max(record.ends_at or obs.ends_at, obs.ends_at),
            "last_at": max(record.last_at, obs.at),
            "severity": severity,
        }
    )
    if policy.muted:
        return Decision(grown)
    news = merged.confirmations > record.notified_confirmations or _grew(
        record.severity or severity, severity
    )
    if record.notifications and not news:
        return Decision(grown)
    return _notify_card(grown, obs, policy, update=record.notifications > 0)


def _grew(was: Severity, now: Severity) -> bool:
    """Whether the severity rose (info < warning < critical)."""
    return cards.rank(now) > cards.rank(was)


def _notify_card(record: AlertRecord, obs: Observation, policy: Policy, update: bool) -> Decision:
    assert record.card is not None
    sent = record.model_copy(
        update={
            "notified_at": obs.at,
            "notifications": record.notifications + 1,
            "notified_confirmations": record.card.confirmations,
        }
    )
    summary = cards.document_summary(record.card) if obs.card_policy else obs.summary
    if update:
        summary = cards.updated(summary)
    shown = replace(obs, summary=summary, severity=record.severity or obs.severity)
    return Decision(sent, (_alert(sent, shown, policy, AlertStatus.FIRING),))


def _card_evidence(card: EventCard) -> tuple[AlertEvidence, ...]:
    return tuple(
        AlertEvidence(
            document_id=s.document_id,
            title=s.title,
            url=s.url,
            quote=s.quote,
            published_at=s.published_at,
        )
        for s in card.sources
    )


def _alert(
    record: AlertRecord, obs: Observation, policy: Policy, status: AlertStatus
) -> AlertRaised:
    card = obs.card
    evidence, correlation_ids = obs.evidence, obs.correlation_ids
    if record.card is not None and obs.ends_at is not None:  # an event card: every source
        card = record.card
        evidence = _card_evidence(card)
        correlation_ids = tuple(e.document_id for e in evidence)
    return AlertRaised(
        fingerprint=policy.fingerprint,
        rule=obs.rule,
        status=status,
        severity=obs.severity,
        labels=record.labels or obs.labels,
        summary=obs.summary[:1000],
        evidence=evidence,
        score=obs.score,
        z=obs.z,
        momentum=obs.momentum,
        attention=obs.attention,
        starts_at=record.starts_at,
        ends_at=record.ends_at,
        correlation_ids=correlation_ids,
        group_key=policy.group_key,
        notification=max(record.notifications, 1),
        card=card,
    )
