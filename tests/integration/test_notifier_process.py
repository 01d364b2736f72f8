"""The notifier as a real process: a delivery waiting for its retry survives a kill, and the
restarted process delivers it with the same webhook id; its metrics are on /metrics."""

import asyncio
import json
import signal
from datetime import UTC, datetime
from pathlib import Path

import httpx
from redis.asyncio import Redis

from radar_notifier.adapters.queue import DeliveryQueue
from radar_notifier.adapters.store import EndpointStore
from radar_notifier.domain.endpoints import Endpoint
from radar_notifier.domain.signing import new_secret
from radar_schemas import Streams, encode
from tests.support.processes import running, service_env
from tests.support.webhook_receivers import alert_event, scripted_receiver

RETRY_AFTER_S = 6.0


async def wait_for(check: object, timeout_s: float = 60) -> None:
    async with asyncio.timeout(timeout_s):
        while not await check():  # type: ignore[operator]
            await asyncio.sleep(0.05)


def metric(text: str, name: str) -> float:
    """A sample's value from the Prometheus text format."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} not in /metrics")


async def test_restart_mid_backoff_still_delivers(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    env = service_env(
        redis_url,
        streams.prefix,
        RADAR_ALLOW_PRIVATE_TARGETS="true",
        RADAR_WEBHOOK_RETRY_SCHEDULE_S=json.dumps([0, RETRY_AFTER_S]),
        RADAR_WEBHOOK_POLL_INTERVAL_S="0.05",
        RADAR_CONSUMER_NAME="notifier-1",
    )
    queue, event = DeliveryQueue(redis, streams.prefix), alert_event()
    with scripted_receiver(script=[(500, {})]) as receiver:
        endpoint = Endpoint(
            endpoint_id="ep_restart",
            url=receiver.url,
            secrets=[new_secret()],
            created_at=datetime.now(UTC),
        )
        await EndpointStore(redis, streams.prefix).put(endpoint)
        delivery_id = f"{endpoint.endpoint_id}:{event.event_id}"

        async def retry_pending() -> bool:
            delivery = await queue.get(delivery_id)
            return delivery is not None and delivery.attempts == 1

        with running("radar_notifier", env, tmp_path / "first.log") as (process, _):
            await redis.xadd(streams.alerts, encode(event))  # type: ignore[arg-type]
            await wait_for(retry_pending)
            process.send_signal(signal.SIGKILL)
            process.wait()
        assert len(receiver.requests) == 1, "the retry came before the kill"

        with running("radar_notifier", env, tmp_path / "second.log") as (_, port):

            async def delivered() -> bool:
                return len(receiver.requests) == 2 and await queue.get(delivery_id) is None

            await wait_for(delivered)
            await asyncio.sleep(0.5)  # one more drain, so that the pending gauge is fresh
            text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text

    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == event.event_id
    assert metric(text, 'radar_webhook_deliveries_total{outcome="delivered"}') == 1
    assert metric(text, 'radar_webhook_attempts_total{result="2xx"}') == 1
    assert metric(text, "radar_webhook_retries_pending") == 0
    assert metric(text, "radar_webhook_endpoints_disabled_total") == 0
    assert "radar_webhook_delivery_latency_seconds_count 1.0" in text
    assert endpoint.secrets[0].removeprefix("whsec_") not in text
    assert endpoint.secrets[0].removeprefix("whsec_") not in (tmp_path / "first.log").read_text()
