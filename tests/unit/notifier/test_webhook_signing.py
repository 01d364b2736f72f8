"""Our signatures, checked by the official ``standardwebhooks`` package."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from radar_notifier.adapters.sender import signed_headers
from radar_notifier.domain.endpoints import Endpoint, rotated, signing_secrets
from radar_notifier.domain.payloads import standard_body
from radar_notifier.domain.signing import SecretError, new_secret, secret_key, sign
from tests.support.webhook_receivers import alert_event

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def endpoint(secret: str) -> Endpoint:
    return Endpoint(
        endpoint_id="ep_1", url="https://hooks.example", secrets=[secret], created_at=NOW
    )


def test_standardwebhooks_verifies_our_signature_and_body() -> None:
    secret, event = new_secret(), alert_event()
    body = standard_body(event)
    headers = signed_headers([secret], event.event_id, body)
    payload = Webhook(secret).verify(body, headers)
    assert payload["type"] == "alert.raised"
    assert set(payload) == {"type", "timestamp", "data"}
    assert payload["data"]["event_id"] == headers["webhook-id"] == event.event_id


def test_standardwebhooks_rejects_another_secret_and_a_changed_body() -> None:
    secret, event = new_secret(), alert_event()
    body = standard_body(event)
    headers = signed_headers([secret], event.event_id, body)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace(b"gaming", b"film"), headers)


def test_during_rotation_both_secrets_verify_and_afterwards_only_the_new_one() -> None:
    old, new = new_secret(), new_secret()
    current = rotated(endpoint(old), new, NOW, grace_s=3600)
    body = standard_body(alert_event())
    headers = signed_headers(signing_secrets(current, NOW), "msg_1", body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(body, headers) and Webhook(new).verify(body, headers)

    later = signing_secrets(current, NOW + timedelta(hours=2))
    headers = signed_headers(later, "msg_1", body)
    assert Webhook(new).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(body, headers)


def test_signature_matches_the_spec_example() -> None:
    # The example of the Standard Webhooks specification (spec/standard-webhooks.md).
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert sign([secret], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected


def test_secrets_are_random_and_well_formed() -> None:
    first, second = new_secret(), new_secret()
    assert first != second and first.startswith("whsec_")
    assert len(secret_key(first)) == 32
    with pytest.raises(SecretError):
        secret_key("whsec_not base64!")
    assert json.dumps(base64.b64encode(secret_key(first)).decode())
