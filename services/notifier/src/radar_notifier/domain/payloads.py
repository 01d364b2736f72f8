"""Webhook bodies: Standard Webhooks (default), Alertmanager webhook v4, Slack text."""

import json
from datetime import datetime
from typing import Any

from radar_schemas import AlertRaised, AlertStatus, Envelope, EventType, Severity, new_event

from .endpoints import PayloadFormat

# Alertmanager sends this zero time as endsAt of an alert that is still firing.
ALERTMANAGER_ZERO_TIME = "0001-01-01T00:00:00Z"
RECEIVER_NAME = "radar"


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _rfc3339(value: Any) -> str:
    return str(value.isoformat().replace("+00:00", "Z"))


def standard_body(event: Envelope[Any]) -> bytes:
    """Standard Webhooks body: ``{"type", "timestamp", "data"}``."""
    return _json(
        {
            "type": event.event_type.value,
            "timestamp": event.emitted_at.isoformat(),
            "data": {
                **event.payload.model_dump(mode="json"),
                "event_id": event.event_id,
                "correlation_id": event.correlation_id,
            },
        }
    )


def group_key(rule: str) -> str:
    """Alertmanager's group key for a root route grouped by ``alertname``:
    ``{}:{alertname="rule"}``, the label value double-quoted and escaped."""
    return f"{{}}:{{alertname={json.dumps(rule, ensure_ascii=False)}}}"


def alertmanager_body(event: Envelope[Any]) -> bytes:
    """The Alertmanager webhook payload, version 4, with this one alert in it."""
    alert: AlertRaised = event.payload
    labels = {"alertname": alert.rule, "severity": alert.severity.value, **alert.labels}
    annotations = {"summary": alert.summary}
    if alert.evidence:
        annotations["description"] = "; ".join(e.title for e in alert.evidence)
    ends_at = alert.ends_at if alert.status is AlertStatus.RESOLVED else None
    generator = next((e.url for e in alert.evidence if e.url), "") or ""
    return _json(
        {
            "version": "4",
            "groupKey": group_key(alert.rule),
            "truncatedAlerts": 0,
            "status": alert.status.value,
            "receiver": RECEIVER_NAME,
            "groupLabels": {"alertname": alert.rule},
            "commonLabels": labels,
            "commonAnnotations": annotations,
            "externalURL": "",
            "alerts": [
                {
                    "status": alert.status.value,
                    "labels": labels,
                    "annotations": annotations,
                    "startsAt": _rfc3339(alert.starts_at),
                    "endsAt": _rfc3339(ends_at) if ends_at else ALERTMANAGER_ZERO_TIME,
                    "generatorURL": generator,
                    "fingerprint": alert.fingerprint,
                }
            ],
        }
    )


def slack_text(alert: AlertRaised) -> str:
    """One readable message: status, severity, summary, then the evidence as links."""
    icon = ":white_check_mark:" if alert.status is AlertStatus.RESOLVED else ":rotating_light:"
    lines = [f"{icon} *[{alert.status.value.upper()}] {alert.severity.value}* {alert.summary}"]
    for item in alert.evidence[:5]:
        lines.append(f"• <{item.url}|{item.title}>" if item.url else f"• {item.title}")
    return "\n".join(lines)


def slack_body(event: Envelope[Any]) -> bytes:
    """A Slack incoming-webhook message (``text`` with mrkdwn)."""
    return _json({"text": slack_text(event.payload)})


def render(payload_format: PayloadFormat, event: Envelope[Any]) -> bytes:
    """The body for an endpoint's format."""
    if payload_format is PayloadFormat.ALERTMANAGER:
        return alertmanager_body(event)
    if payload_format is PayloadFormat.SLACK:
        return slack_body(event)
    return standard_body(event)


TEST_RULE = "radar_webhook_test"
TEST_SUMMARY = "Radar webhook test: this endpoint receives Radar's alerts"


def ping_body(payload_format: PayloadFormat, event_id: str, at: datetime) -> bytes:
    """The body of ``radar webhooks test`` in the endpoint's own format: Standard Webhooks'
    ``webhook.test`` event, a Slack message, or an Alertmanager payload whose one alert is
    already resolved (so that a receiver that pages on firing alerts stays quiet)."""
    if payload_format is PayloadFormat.SLACK:
        return _json({"text": f":white_check_mark: {TEST_SUMMARY} ({event_id})"})
    if payload_format is PayloadFormat.ALERTMANAGER:
        alert = AlertRaised(
            fingerprint=event_id,
            rule=TEST_RULE,
            status=AlertStatus.RESOLVED,
            severity=Severity.INFO,
            labels={},
            summary=TEST_SUMMARY,
            starts_at=at,
            ends_at=at,
        )
        event = new_event(
            EventType.ALERT_RAISED, alert, producer="cli", correlation_id=event_id, occurred_at=at
        )
        return alertmanager_body(event)
    return _json(
        {"type": "webhook.test", "timestamp": at.isoformat(), "data": {"event_id": event_id}}
    )
