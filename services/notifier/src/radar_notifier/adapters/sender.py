"""One signed POST to one endpoint, with a total time limit and a bounded response read.

It never raises for the target: a URL or secret it cannot use is an unusable attempt (the
delivery is rejected at once, with the reason), a target the SSRF guard refuses a refused
one, network trouble and anything unforeseen an error that is retried."""

import asyncio
import dataclasses
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import structlog

from radar_runtime.netguard import InvalidTarget, TargetRefused, normalise_url

from ..domain.signing import SecretError, sign

log = structlog.get_logger("radar.notifier")

MAX_RESPONSE_BYTES = 4_096


@dataclass(frozen=True)
class Attempt:
    """What an attempt produced: a status (None when there was no answer) or an error."""

    status: int | None
    error: str
    retry_after: str | None = None
    refused: bool = False
    duration_s: float = 0.0
    unusable: bool = False


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


def _where(url: str) -> str:
    """The URL's host and port, for error texts (its path or query may carry a token)."""
    try:
        return urlsplit(url).netloc.rpartition("@")[2]
    except ValueError:
        return "(unparsable URL)"


async def post_signed(
    client: httpx.AsyncClient,
    url: str,
    secrets: list[str],
    msg_id: str,
    body: bytes,
    *,
    timeout_s: float,
) -> Attempt:
    """POST ``body`` signed, within ``timeout_s`` in total (resolution, connection, TLS,
    request and the bounded response read). Never raises: network trouble becomes the error
    text (the host and port only: a URL's path or query may carry a token)."""
    where = _where(url)
    started = time.monotonic()
    try:
        target = normalise_url(url)  # stored before URLs were normalised: judged now
        headers = signed_headers(secrets, msg_id, body)
    except InvalidTarget as exc:
        return Attempt(None, f"unusable URL: {exc}", unusable=True)
    except SecretError as exc:
        return Attempt(None, f"unusable secret: {exc}", unusable=True)
    try:
        async with asyncio.timeout(timeout_s):
            result = await _post(client, target, headers, body)
    except TargetRefused as exc:
        result = Attempt(None, f"refused by the SSRF guard: {exc}", refused=True)
    except (TimeoutError, httpx.TimeoutException):
        result = Attempt(None, f"{where}: timed out after {timeout_s:g} s")
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        result = Attempt(None, f"unusable URL: {type(exc).__name__}", unusable=True)
    except httpx.HTTPError as exc:
        result = Attempt(None, f"{where}: {_explained(exc)}")
    except Exception as exc:
        log.exception("webhook attempt failed unexpectedly", where=where)
        result = Attempt(None, f"{where}: {type(exc).__name__}")
    duration_s = time.monotonic() - started
    return dataclasses.replace(result, duration_s=duration_s)


# What the commonest network errors mean, for a person reading `radar webhooks test` or a
# dead letter; the exception's own text is left out (it may quote the URL and its token).
_MEANINGS: tuple[tuple[type[httpx.HTTPError], str], ...] = (
    (httpx.ConnectError, "could not connect: no such host, or the connection was refused"),
    (httpx.ReadError, "the connection broke while reading the answer"),
    (httpx.WriteError, "the connection broke while sending"),
    (httpx.RemoteProtocolError, "the server closed the connection without a valid HTTP answer"),
)


def _explained(exc: Exception) -> str:
    """ "ConnectError (could not connect: …)": the error's name, and what it means."""
    meaning = next((words for kind, words in _MEANINGS if isinstance(exc, kind)), None)
    return f"{type(exc).__name__} ({meaning})" if meaning else type(exc).__name__
