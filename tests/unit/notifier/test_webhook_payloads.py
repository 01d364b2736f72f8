"""Bodies per format, for a resolved alert (the integration tests cover a firing one)."""

import json
from datetime import UTC, datetime

from radar_notifier.domain.endpoints import PayloadFormat
from radar_notifier.domain.payloads import render
from radar_schemas import AlertStatus, EventType, new_event
from tests.support.webhook_receivers import alert_event

ENDED = datetime(2026, 11, 21, 12, 30, tzinfo=UTC)


def resolved() -> object:
    firing = alert_event()
    alert = firing.payload.model_copy(update={"status": AlertStatus.RESOLVED, "ends_at": ENDED})
    return new_event(
        EventType.ALERT_RAISED, alert, producer="alerter", correlation_id="n-1", occurred_at=ENDED
    )


def test_alertmanager_resolved_alert_has_its_end_time() -> None:
    body = json.loads(render(PayloadFormat.ALERTMANAGER, resolved()))
    assert body["status"] == "resolved" and body["version"] == "4"
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
    assert standard["data"]["event_id"] == event.event_id  # type: ignore[attr-defined]
    slack = json.loads(render(PayloadFormat.SLACK, event))
    assert slack["text"].startswith(":white_check_mark: *[RESOLVED] warning*")
