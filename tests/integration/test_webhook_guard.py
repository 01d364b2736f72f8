"""The SSRF guard in the connection path: non-public targets are refused before any
connection; allowed names are connected to at the checked address, keeping the Host header.
Names are resolved through a table, never through external DNS."""

import socket
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import httpcore
import pytest
from prometheus_client import CollectorRegistry
from redis.asyncio import Redis

from radar_notifier.adapters.sender import post_signed
from radar_notifier.adapters.transport import GuardedBackend, GuardedTransport, guarded_client
from radar_notifier.delivery import Deliverer, DeliveryPolicy
from radar_notifier.domain.endpoints import Endpoint
from radar_notifier.domain.signing import new_secret
from radar_notifier.metrics import NotifierMetrics
from radar_schemas import Streams
from tests.support.messages import read_all
from tests.support.webhook_receivers import alert_event, scripted_receiver

NAMES = {"internal.test": ["10.0.0.5"], "hooks.test": ["127.0.0.1"]}


async def table_resolver(host: str) -> list[str]:
    if host not in NAMES:
        raise socket.gaierror(socket.EAI_NONAME, "unknown name")
    return NAMES[host]


class RecordingBackend(httpcore.AnyIOBackend):
    """The real backend, noting every address it is asked to connect to."""

    def __init__(self) -> None:
        self.connected: list[str] = []

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.connected.append(host)
        return await super().connect_tcp(host, port, *args, **kwargs)


def client_with(backend: RecordingBackend, *, allow_private: bool) -> Any:
    import httpx

    guarded = GuardedBackend(allow_private=allow_private, resolver=table_resolver, inner=backend)
    return httpx.AsyncClient(transport=GuardedTransport(guarded), follow_redirects=False)


def targets(port: int) -> Iterable[str]:
    yield f"http://127.0.0.1:{port}/hook"
    yield "http://10.0.0.1/hook"
    yield "http://169.254.169.254/latest/meta-data/"
    yield f"http://[::1]:{port}/hook"
    yield f"http://[::ffff:127.0.0.1]:{port}/hook"
    yield f"http://internal.test:{port}/hook"


@pytest.mark.parametrize("index", range(6))
async def test_guard_refuses_private_targets_without_connecting(index: int) -> None:
    backend = RecordingBackend()
    with scripted_receiver() as receiver:
        port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
        url = list(targets(port))[index]
        async with client_with(backend, allow_private=False) as client:
            attempt = await post_signed(client, url, [new_secret()], "msg_1", b"{}", timeout_s=5)
    assert attempt.refused and attempt.status is None
    assert "refused by the SSRF guard" in attempt.error
    assert backend.connected == []
    assert receiver.requests == []


async def test_allowed_name_is_connected_at_the_checked_address_with_its_host() -> None:
    backend = RecordingBackend()
    with scripted_receiver() as receiver:
        port = receiver.url.rsplit(":", 1)[1].split("/")[0]
        async with client_with(backend, allow_private=True) as client:
            url = f"http://hooks.test:{port}/hook"
            attempt = await post_signed(client, url, [new_secret()], "msg_1", b"{}", timeout_s=5)
    assert attempt.status == 200
    assert backend.connected == ["127.0.0.1"]
    assert receiver.requests[0].headers["host"] == f"hooks.test:{port}"


async def test_unknown_name_is_a_retryable_error_not_a_refusal() -> None:
    async with client_with(RecordingBackend(), allow_private=False) as client:
        attempt = await post_signed(
            client, "http://nowhere.test/hook", [new_secret()], "m", b"{}", timeout_s=5
        )
    assert not attempt.refused and attempt.status is None
    assert attempt.error == (
        "nowhere.test: ConnectError (could not connect: no such host, or the connection was "
        "refused)"
    )


async def test_refused_delivery_is_dead_lettered_at_once(redis: Redis, streams: Streams) -> None:
    client = guarded_client(allow_private=False, timeout_s=5, resolver=table_resolver)
    metrics = NotifierMetrics(CollectorRegistry())
    deliverer = Deliverer(redis, streams, client, metrics, DeliveryPolicy())
    endpoint = Endpoint(
        endpoint_id="ep_internal",
        url="http://internal.test/hook",
        secrets=[new_secret()],
        created_at=datetime.now(UTC),
    )
    await deliverer.store.put(endpoint)
    await deliverer.enqueue(alert_event())
    await deliverer.drain_once()
    await deliverer.settle()
    await client.aclose()
    (dead,) = await read_all(redis, streams.deadletter)
    assert dead.payload.reason == "refused" and dead.payload.attempts == 1
    assert "10.0.0.5" in dead.payload.error
    assert await deliverer.queue.pending() == 0
