"""One signed POST to one endpoint, with a total time limit and a bounded response read."""

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from ..domain.guard import TargetRefused
from ..domain.signing import sign

MAX_RESPONSE_BYTES = 4_096


@dataclass(frozen=True)
class Attempt:
    """What an attempt produced: a status (None when there was no answer) or an error."""

    status: int | None
    error: str
    retry_after: str | None = None
    refused: bool = False
    duration_s: float = 0.0


def signed_headers(secrets: list[str], msg_id: str, body: bytes) -> dict[str, str]:
    """Standard Webhooks headers for ``body``, signed now with every secret given."""
    timestamp = int(time.time())
    return {
        "content-type": "application/json",
        "user-agent": "radar-notifier",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secrets, msg_id, timestamp, body),
    }


async def _skim(response: httpx.Response) -> None:
    """Read the response body until it ends or ``MAX_RESPONSE_BYTES`` have arrived, keeping
    none of it (one network read brings up to 64 KiB). A short body read to its end leaves the
    connection reusable; a longer one is not read further (closing the response then closes
    the connection instead of draining it)."""
    seen = 0
    async for chunk in response.aiter_raw():
        seen += len(chunk)
        if seen >= MAX_RESPONSE_BYTES:
            return


async def _post(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], body: bytes
) -> Attempt:
    async with client.stream("POST", url, content=body, headers=headers) as response:
        await _skim(response)
        await response.aclose()
        status = response.status_code
        error = "" if 200 <= status < 300 else f"HTTP {status}"
        if 300 <= status < 400:
            error += " (redirects are not followed)"
        return Attempt(status, error, response.headers.get("retry-after"))


async def post_signed(
    client: httpx.AsyncClient,
    url: str,
    secrets: list[str],
    msg_id: str,
    body: bytes,
    *,
    timeout_s: float,
) -> Attempt:
    """POST ``body`` signed; never raises for network trouble, which becomes the error text
    (the host and port only: a URL's path or query may carry a token)."""
    where = urlsplit(url).netloc.rpartition("@")[2]
    started = time.monotonic()
    try:
        async with asyncio.timeout(timeout_s):
            result = await _post(client, url, signed_headers(secrets, msg_id, body), body)
    except TargetRefused as exc:
        result = Attempt(None, f"refused by the SSRF guard: {exc}", refused=True)
    except (TimeoutError, httpx.TimeoutException):
        result = Attempt(None, f"{where}: timed out after {timeout_s:g} s")
    except httpx.HTTPError as exc:
        result = Attempt(None, f"{where}: {type(exc).__name__}")
    duration_s = time.monotonic() - started
    return Attempt(result.status, result.error, result.retry_after, result.refused, duration_s)
