"""Bodies per format, for a resolved alert (the integration tests cover a firing one)."""

import json
from datetime import UTC, datetime
from typing import Any

from radar_notifier.domain.endpoints import PayloadFormat
from radar_notifier.domain.payloads import group_key, render
from radar_schemas import AlertStatus, Envelope, EventType, new_event
from tests.support.webhook_receivers import alert_event

ENDED = datetime(2026, 11, 21, 12, 30, tzinfo=UTC)


def resolved() -> Envelope[Any]:
    firing = alert_event()
    alert = firing.payload.model_copy(update={"status": AlertStatus.RESOLVED, "ends_at": ENDED})
    return new_event(
        EventType.ALERT_RAISED, alert, producer="alerter", correlation_id="n-1", occurred_at=ENDED
    )


def test_alertmanager_resolved_alert_has_its_end_time() -> None:
    body = json.loads(render(PayloadFormat.ALERTMANAGER, resolved()))
    assert body["status"] == "resolved" and body["version"] == "4"
    assert body["groupKey"] == '{}:{alertname="sector_score_high"}'
    (alert,) = body["alerts"]
    assert alert["status"] == "resolved"
    assert alert["endsAt"] == "2026-11-21T12:30:00Z"
    assert alert["generatorURL"] == "https://example.com/n-1"
    assert body["commonAnnotations"]["description"] == "Studio ships AI-generated levels"


def test_standard_and_slack_bodies_of_a_resolved_alert() -> None:
    event = resolved()
    standard = json.loads(render(PayloadFormat.STANDARD, event))
    assert standard["type"] == "alert.raised"
    assert standard["data"]["status"] == "resolved"
    assert standard["data"]["event_id"] == event.event_id
    slack = json.loads(render(PayloadFormat.SLACK, event))
    assert slack["text"].startswith(":white_check_mark: *[RESOLVED] warning*")


def test_group_key_quotes_the_rule_as_alertmanager_does() -> None:
    assert group_key("rule") == '{}:{alertname="rule"}'
    assert group_key('say "hi"') == '{}:{alertname="say \\"hi\\""}'
