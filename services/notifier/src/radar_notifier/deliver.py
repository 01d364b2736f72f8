"""Delivering one alert to the configured webhooks."""

import asyncio
import json
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from radar_schemas import Envelope

from .domain.guard import check_addresses
from .domain.signing import sign


class DeliveryFailed(RuntimeError):
    """A webhook answered with a non-2xx status or could not be reached; retried later."""


def webhook_body(event: Envelope[Any]) -> bytes:
    """Standard Webhooks body: ``{"type", "timestamp", "data"}``."""
    body = {
        "type": event.event_type.value,
        "timestamp": event.emitted_at.isoformat(),
        "data": {
            **event.payload.model_dump(mode="json"),
            "event_id": event.event_id,
            "correlation_id": event.correlation_id,
        },
    }
    return json.dumps(body, separators=(",", ":")).encode()


async def guard(url: str) -> None:
    host = urlsplit(url).hostname or ""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    check_addresses(host, sorted({str(info[4][0]) for info in infos}))


async def deliver(
    client: httpx.AsyncClient,
    url: str,
    secret: str,
    event: Envelope[Any],
    *,
    allow_private: bool,
) -> int:
    """POST the signed alert; returns the status, raises DeliveryFailed on anything but 2xx."""
    if not allow_private:
        await guard(url)
    body = webhook_body(event)
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "webhook-id": event.event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign([secret], event.event_id, timestamp, body),
    }
    try:
        response = await client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"{urlsplit(url).netloc}: {type(exc).__name__}") from exc
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(f"{urlsplit(url).netloc}: HTTP {response.status_code}")
    return response.status_code
