"""An alert's life: hysteresis, repeat interval, resolve, muting, stale updates, silences."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from radar_alerter.domain.conditions import Observation
from radar_alerter.domain.lifecycle import AlertRecord, Policy, decide
from radar_alerter.domain.silences import Silence, inhibition_key, parse_matchers, silenced
from radar_schemas import AlertRaised, AlertStatus, Severity

T0 = datetime(2026, 11, 20, tzinfo=UTC)
POLICY = Policy(fingerprint="fp", group_key="sector=gaming", repeat_interval_s=3600, muted=False)
MUTED = Policy(fingerprint="fp", group_key="sector=gaming", repeat_interval_s=3600, muted=True)


def obs(minutes: float, value: float, ends_at: datetime | None = None) -> Observation:
    return Observation(
        rule="r",
        labels={"sector": "gaming"},
        at=T0 + timedelta(minutes=minutes),
        fires=value >= 1.0,
        clears=value < 0.5,
        severity=Severity.WARNING,
        summary=f"score {value}",
        ends_at=ends_at,
    )


def run(values: list[tuple[float, float]], policy: Policy = POLICY) -> list[AlertRaised]:
    """Feed observations in order; the notifications they send."""
    record: AlertRecord | None = None
    sent = []
    for minutes, value in values:
        decision = decide(record, obs(minutes, value), policy)
        record = decision.record or record
        if decision.alert:
            sent.append(decision.alert)
    return sent


def test_hysteresis_fires_once_and_resolves_only_below_the_lower_bound() -> None:
    sent = run([(0, 0.7), (1, 1.2), (2, 1.5), (3, 0.7), (4, 1.1), (5, 0.4), (6, 0.7)])
    assert [a.status for a in sent] == [AlertStatus.FIRING, AlertStatus.RESOLVED]
    firing, resolved = sent
    assert firing.starts_at == T0 + timedelta(minutes=1) and firing.ends_at is None
    assert resolved.starts_at == firing.starts_at
    assert resolved.ends_at == T0 + timedelta(minutes=5)
    assert resolved.summary.startswith("resolved:")


def test_repeat_interval_in_event_time() -> None:
    sent = run([(0, 1.2), (30, 1.3), (59, 1.3), (60, 1.4), (61, 1.4), (125, 1.1)])
    assert [a.notification for a in sent] == [1, 2, 3]
    assert sent[1].summary == "still firing since 2026-11-20 00:00Z: score 1.4"
    assert {a.status for a in sent} == {AlertStatus.FIRING}
    assert len({a.fingerprint for a in sent}) == 1


def test_fires_again_after_resolving() -> None:
    sent = run([(0, 1.2), (1, 0.1), (2, 1.2)])
    firing, resolved = AlertStatus.FIRING, AlertStatus.RESOLVED
    assert [a.status for a in sent] == [firing, resolved, firing]
    assert sent[2].starts_at == T0 + timedelta(minutes=2)


def test_the_same_observation_again_sends_nothing_and_stale_ones_are_ignored() -> None:
    first = decide(None, obs(10, 1.2), POLICY)
    assert first.record and first.alert
    assert decide(first.record, obs(10, 1.2), POLICY).alert is None  # a replay
    assert decide(first.record, obs(5, 0.1), POLICY).record is None  # older than the last
    assert decide(first.record, obs(5, 1.2), POLICY).record is None


def test_muted_alert_fires_silently_and_notifies_once_unmuted() -> None:
    record = decide(None, obs(0, 1.2), MUTED).record
    assert record is not None and record.status is AlertStatus.FIRING
    assert decide(None, obs(0, 1.2), MUTED).alert is None
    still = decide(record, obs(1, 1.2), MUTED)
    assert still.alert is None and still.record
    later = decide(still.record, obs(2, 1.2), POLICY)
    assert later.alert and later.alert.notification == 1
    never_sent = decide(record, obs(3, 0.1), MUTED)
    assert never_sent.record and never_sent.record.status is AlertStatus.RESOLVED
    assert never_sent.alert is None  # nobody heard it fire: no resolved either


def test_one_shot_alerts_end_on_their_own_and_can_fire_again_later() -> None:
    end = T0 + timedelta(hours=1)
    first = decide(None, obs(0, 1.2, ends_at=end), POLICY)
    assert first.alert and first.alert.ends_at == end
    assert first.record is not None
    assert decide(first.record, obs(30, 1.2, ends_at=end), POLICY).alert is None
    again = decide(first.record, obs(90, 1.2, ends_at=end + timedelta(hours=2)), POLICY)
    assert again.alert and again.alert.starts_at == T0 + timedelta(minutes=90)


def test_silence_matches_every_label_and_alertname_while_active() -> None:
    silence = Silence(
        matchers=parse_matchers(["sector=gaming", "alertname=r"]),
        starts_at=T0,
        ends_at=T0 + timedelta(hours=2),
    )
    assert silenced([silence], "r", {"sector": "gaming"}, T0 + timedelta(hours=1))
    assert not silenced([silence], "r", {"sector": "gaming"}, T0 + timedelta(hours=2))
    assert not silenced([silence], "q", {"sector": "gaming"}, T0)
    assert not silenced([silence], "r", {"sector": "film_tv"}, T0)


def test_inhibition_key_needs_the_equal_labels() -> None:
    assert inhibition_key("r", ("sector",), {"sector": "gaming"}) == "r|sector=gaming"
    assert inhibition_key("r", ("sector",), {"ticker": "EA"}) is None


def test_a_warning_turning_critical_is_notified_before_the_repeat_interval() -> None:
    warning = obs(0, 1.2)
    critical = replace(obs(10, 2.5), severity=Severity.CRITICAL)
    first = decide(None, warning, POLICY)
    assert first.record and first.alert
    same = decide(first.record, obs(5, 1.3), POLICY)  # no change of severity: nothing yet
    assert same.record and same.alert is None
    grown = decide(same.record, critical, POLICY)
    assert grown.alert and grown.alert.notification == 2
    assert grown.alert.severity is Severity.CRITICAL
    # and a critical one that stays critical waits for the interval again
    assert (
        grown.record
        and decide(
            grown.record, replace(critical, at=critical.at + timedelta(minutes=5)), POLICY
        ).alert
        is None
    )
