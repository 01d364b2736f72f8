"""``radar webhooks`` against a real Redis and real local receivers (run in-process: the
command's asyncio loop runs in a worker thread, beside the test's)."""

import asyncio
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from redis.asyncio import Redis
from standardwebhooks import Webhook, WebhookVerificationError

from radar_cli.main import main
from radar_notifier.adapters.store import EndpointStore
from radar_notifier.adapters.transport import guarded_client
from radar_notifier.delivery import Deliverer, DeliveryPolicy
from radar_notifier.domain.retry import RetrySchedule
from radar_notifier.metrics import NotifierMetrics
from radar_schemas import Streams
from tests.support.webhook_receivers import alert_event, scripted_receiver

SECRET_LINE = re.compile(r"secret \(shown once, keep it now\): (whsec_\S+)")


class Result:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def radar(
    redis_url: str, prefix: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., object]:
    """``await radar("add", url)``: the command's exit code and output."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("RADAR_STREAM_PREFIX", prefix)

    def run(args: tuple[str, ...]) -> int:
        try:
            main(["webhooks", *args])
        except SystemExit as exit_:
            return int(exit_.code or 0)
        return 0

    async def radar_(*args: str, allow_private: bool = True) -> Result:
        monkeypatch.setenv("RADAR_ALLOW_PRIVATE_TARGETS", str(allow_private).lower())
        capsys.readouterr()
        code = await asyncio.to_thread(run, args)
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return radar_


async def test_add_list_rotate_test_remove(redis: Redis, streams: Streams, radar: Any) -> None:
    with scripted_receiver() as receiver:
        added = await radar("add", receiver.url + "?token=abc", "--sector", "gaming")
        assert added.returncode == 0, added.stderr
        match = SECRET_LINE.search(added.stdout)
        assert match is not None
        first_secret = match.group(1)
        endpoint_id = added.stdout.split()[1]

        listed = await radar("list", "--json")
        (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
        assert row["endpoint_id"] == endpoint_id and row["sectors"] == ["gaming"]
        assert "secrets" not in row and "token" not in listed.stdout
        assert first_secret not in listed.stdout + (await radar("list")).stdout

        rotated = await radar("rotate-secret", endpoint_id)
        match = SECRET_LINE.search(rotated.stdout)
        assert rotated.returncode == 0 and match is not None
        second_secret = match.group(1)
        assert second_secret != first_secret

        tested = await radar("test", endpoint_id)
        assert tested.returncode == 0 and "ok, HTTP 200" in tested.stdout
        (request,) = receiver.requests
        for secret in (first_secret, second_secret):
            assert Webhook(secret).verify(request.body, request.headers)["type"] == "webhook.test"

        assert (await radar("remove", endpoint_id)).returncode == 0
        assert await EndpointStore(redis, streams.prefix).all() == []
        gone = await radar("remove", endpoint_id)
        assert gone.returncode == 2 and f"no endpoint {endpoint_id}" in gone.stderr


async def test_test_event_after_the_grace_period_is_signed_by_the_new_secret_only(
    redis: Redis, streams: Streams, radar: Any
) -> None:
    with scripted_receiver() as receiver:
        added = await radar("add", receiver.url)
        old_match = SECRET_LINE.search(added.stdout)
        endpoint_id = added.stdout.split()[1]
        rotated = await radar("rotate-secret", endpoint_id, "--grace-hours", "24")
        new_match = SECRET_LINE.search(rotated.stdout)
        assert old_match is not None and new_match is not None
        store = EndpointStore(redis, streams.prefix)
        endpoint = await store.get(endpoint_id)
        assert endpoint is not None and len(endpoint.secrets) == 2
        # The grace period has passed; the previous secret is still stored.
        expired = datetime.now(UTC) - timedelta(seconds=1)
        await store.put(endpoint.model_copy(update={"previous_expires_at": expired}))

        tested = await radar("test", endpoint_id)
        assert tested.returncode == 0 and "ok, HTTP 200" in tested.stdout
    (request,) = receiver.requests
    assert len(request.headers["webhook-signature"].split()) == 1
    assert Webhook(new_match.group(1)).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old_match.group(1)).verify(request.body, request.headers)


async def test_bad_input_is_a_clear_error(radar: Any) -> None:
    bad_url = await radar("add", "ftp://example.com/x")
    assert bad_url.returncode == 2 and "http" in bad_url.stderr
    bad_secret = await radar("add", "https://example.com/x", "--secret", "whsec_!!")
    assert bad_secret.returncode == 2 and "whsec_" in bad_secret.stderr
    assert "!!" not in bad_secret.stderr


async def test_test_refuses_a_private_target_unless_allowed(radar: Any) -> None:
    with scripted_receiver() as receiver:
        added = await radar(
            "add", receiver.url, "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        )
        assert "shown once" not in added.stdout
        refused = await radar("test", added.stdout.split()[1], allow_private=False)
    assert refused.returncode == 1 and "refused by the SSRF guard" in refused.stdout
    assert receiver.requests == []


async def test_recover_delivers_dead_letters_again(
    redis: Redis, streams: Streams, radar: Any
) -> None:
    client = guarded_client(allow_private=True, timeout_s=5)
    policy = DeliveryPolicy(schedule=RetrySchedule((0.0,)))
    deliverer = Deliverer(redis, streams, client, NotifierMetrics(CollectorRegistry()), policy)
    since = (datetime.now(UTC) - timedelta(seconds=5)).isoformat()
    event = alert_event()
    with scripted_receiver(script=[(503, {})]) as receiver:
        assert (await radar("add", receiver.url)).returncode == 0
        await deliverer.enqueue(event)
        await deliverer.drain_once()
        await deliverer.settle()
        assert await redis.xlen(streams.deadletter) == 1

        recovered = await radar("recover", "--since", since)
        assert recovered.returncode == 0, recovered.stderr
        assert "queued 1 deliveries again" in recovered.stdout
        await deliverer.drain_once()
        await deliverer.settle()
        await client.aclose()
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == event.event_id
    assert await deliverer.queue.pending() == 0
    assert await redis.xlen(streams.deadletter) == 1


async def test_a_url_that_is_no_web_address_is_refused_in_plain_words(radar: Any) -> None:
    refused = await radar("add", "not-a-url")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == "radar: url: webhook URL: the URL must be http:// or https://\n"


async def test_the_test_message_is_in_the_endpoints_own_format(radar: Any) -> None:
    # A Slack incoming webhook refuses a body without "text"; an Alertmanager receiver reads
    # version 4 alerts. The test message of each is what its alerts will look like.
    with scripted_receiver() as receiver:
        for payload_format in ("slack", "alertmanager", "standard"):
            added = await radar("add", receiver.url, "--format", payload_format)
            tested = await radar("test", added.stdout.split()[1])
            assert tested.returncode == 0 and "ok, HTTP 200" in tested.stdout
        slack, alertmanager, standard = (json.loads(r.body) for r in receiver.requests)
    assert set(slack) == {"text"} and "Radar webhook test" in slack["text"]
    assert alertmanager["version"] == "4" and alertmanager["status"] == "resolved"
    (alert,) = alertmanager["alerts"]
    assert alert["labels"]["alertname"] == "radar_webhook_test"
    assert alert["endsAt"] != "0001-01-01T00:00:00Z"  # resolved: nothing pages
    assert standard["type"] == "webhook.test"
