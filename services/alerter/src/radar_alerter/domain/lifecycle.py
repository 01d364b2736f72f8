"""The life of one alert (one fingerprint): firing, repeated, resolved; muted by silences and
inhibitions. Every time here is event time, so a replay makes the same decisions. Pure."""

from dataclasses import dataclass, replace
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict

from radar_schemas import AlertRaised, AlertStatus

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


@dataclass(frozen=True)
class Decision:
    record: AlertRecord | None  # the record to store; None: leave it as it is
    alert: AlertRaised | None  # the notification to publish, if any


NOTHING = Decision(None, None)


def decide(record: AlertRecord | None, obs: Observation, policy: Policy) -> Decision:
    """The next state of an alert and the notification it sends, if any. An observation older
    than the newest one applied is stale (a late or reordered update) and changes nothing."""
    if record is not None and obs.at < record.last_at:
        return NOTHING
    if record is not None and record.firing_at(obs.at):
        if obs.clears and obs.ends_at is None:
            return _resolve(record, obs, policy)
        return _keep_firing(record, obs, policy)
    if obs.fires:
        started = AlertRecord(
            status=AlertStatus.FIRING, starts_at=obs.at, ends_at=obs.ends_at, last_at=obs.at
        )
        return _notify(started, obs, policy) if not policy.muted else Decision(started, None)
    return NOTHING


def _keep_firing(record: AlertRecord, obs: Observation, policy: Policy) -> Decision:
    seen = record.model_copy(update={"last_at": obs.at})
    if policy.muted:
        return Decision(seen, None)
    if record.notifications == 0 or (
        record.notified_at is not None
        and (obs.at - record.notified_at).total_seconds() >= policy.repeat_interval_s
    ):
        return _notify(seen, obs, policy)
    return Decision(seen, None)


def _notify(record: AlertRecord, obs: Observation, policy: Policy) -> Decision:
    sent = record.model_copy(
        update={"notified_at": obs.at, "notifications": record.notifications + 1}
    )
    if sent.notifications > 1:  # a repeat: say so, and since when
        since = sent.starts_at.strftime("%Y-%m-%d %H:%MZ")
        obs = replace(obs, summary=f"still firing since {since}: {obs.summary}")
    return Decision(sent, _alert(sent, obs, policy, AlertStatus.FIRING))


def _resolve(record: AlertRecord, obs: Observation, policy: Policy) -> Decision:
    """Resolved; the notification goes out whenever the firing one did, muted or not, so no
    receiver is left holding an alert that never ends."""
    done = record.model_copy(
        update={"status": AlertStatus.RESOLVED, "ends_at": obs.at, "last_at": obs.at}
    )
    if record.notifications == 0:
        return Decision(done, None)
    summary = f"resolved: {obs.summary}"
    return Decision(done, _alert(done, replace(obs, summary=summary), policy, AlertStatus.RESOLVED))


def _alert(
    record: AlertRecord, obs: Observation, policy: Policy, status: AlertStatus
) -> AlertRaised:
    return AlertRaised(
        fingerprint=policy.fingerprint,
        rule=obs.rule,
        status=status,
        severity=obs.severity,
        labels=obs.labels,
        summary=obs.summary[:1000],
        evidence=obs.evidence,
        score=obs.score,
        z=obs.z,
        momentum=obs.momentum,
        attention=obs.attention,
        starts_at=record.starts_at,
        ends_at=record.ends_at,
        correlation_ids=obs.correlation_ids,
        group_key=policy.group_key,
        notification=max(record.notifications, 1),
    )
