"""data.sec.gov over HTTP, within the SEC's fair-access rules.

Every request declares a User-Agent with a contact, the client as a whole stays at or
under ``max_requests_per_s`` (a leaky bucket shared by all callers), and a document that has
not changed since the last fetch (ETag / Last-Modified answered with 304) is not read again.
An answer of 429 or 503 pauses every request of the client for its Retry-After (seconds or
an HTTP date; else 1, 2, 4 … seconds, at most ``max_backoff_s``), then the request is tried
again up to ``retries`` times before the error is raised.

Every request passes the runtime's SSRF guard (``radar_runtime.netguard``): data.sec.gov is
public; any other base URL must be a public address too unless the environment allows it
(RADAR_ALLOW_PRIVATE_TARGETS, RADAR_ALLOWED_TARGET_NETWORKS); a refusal is TargetRefused, a
ValueError. Redirects are not followed and proxy variables are not honoured.
"""

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from aiolimiter import AsyncLimiter

from radar_runtime.http import conditional_headers, retry_after_s
from radar_runtime.netguard import (
    GuardedBackend,
    GuardedTransport,
    Resolver,
    TargetPolicy,
    policy_from_env,
    system_resolver,
)
from radar_schemas.jsondoc import load_json

_BACK_OFF = {httpx.codes.TOO_MANY_REQUESTS, httpx.codes.SERVICE_UNAVAILABLE}


class SecBackingOff(Exception):
    """data.sec.gov asked for a longer pause than the client sleeps through; it is not over."""


class SecClient:
    """Fetches XBRL companyfacts; one instance per service, closed at shutdown."""

    def __init__(
        self,
        base_url: str,
        user_agent: str,
        max_requests_per_s: float,
        timeout_s: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        retries: int = 2,
        max_backoff_s: float = 60.0,
        policy: TargetPolicy | None = None,
        resolver: Resolver = system_resolver,
    ) -> None:
        """``transport`` replaces the guarded one (tests); ``policy`` is the SSRF guard's,
        else the one the environment sets."""
        if transport is None:
            backend = GuardedBackend(policy or policy_from_env(), resolver=resolver)
            transport = GuardedTransport(backend)
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=timeout_s,
            transport=transport,
            follow_redirects=False,
            trust_env=False,
        )
        # One request per 1/rate seconds: no burst above the limit in any one-second window.
        self._limiter = AsyncLimiter(1, 1.0 / max_requests_per_s)
        self._validators: dict[str, dict[str, str]] = {}
        self._retries = retries
        self._max_backoff_s = max_backoff_s
        self._resume_at = 0.0  # time.monotonic() before which no request is sent

    async def companyfacts(self, cik: str) -> dict[str, Any] | None:
        """The companyfacts document of ``cik``; None when unchanged since the last call.
        httpx.HTTPStatusError for an error answer, ValueError for a body that is not a JSON
        object."""
        path = f"/api/xbrl/companyfacts/CIK{int(cik):010d}.json"
        response = await self._get(path)
        if response.status_code == httpx.codes.NOT_MODIFIED:
            return None
        response.raise_for_status()
        try:
            document = load_json(response.content)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
        if not isinstance(document, dict):
            raise ValueError(f"{path}: not a JSON object but a {type(document).__name__}")
        self._remember(path, response)
        return document

    async def _get(self, path: str) -> httpx.Response:
        """GET ``path``, waiting out a 429 or 503 and retrying. A wait longer than
        ``max_backoff_s`` is kept in full, but not slept through: the answer is returned, and
        until the wait is over every request fails at once (SecBackingOff), so a shutdown is
        never held up by it."""
        for attempt in range(self._retries + 1):
            wait = self._resume_at - time.monotonic()
            if wait > self._max_backoff_s:
                raise SecBackingOff(f"data.sec.gov asked to wait {wait:.0f} s more")
            if wait > 0:
                await asyncio.sleep(wait)
            async with self._limiter:
                response = await self._http.get(path, headers=self._validators.get(path, {}))
            if response.status_code not in _BACK_OFF:
                break
            asked = retry_after_s(response.headers.get("Retry-After"), datetime.now(UTC))
            delay = 2.0**attempt if asked is None else asked
            self._resume_at = max(self._resume_at, time.monotonic() + delay)
            if delay > self._max_backoff_s:
                break
        return response

    def forget(self, cik: str) -> None:
        """Fetch ``cik`` in full next time (its reports could not be published)."""
        self._validators.pop(f"/api/xbrl/companyfacts/CIK{int(cik):010d}.json", None)

    def _remember(self, path: str, response: httpx.Response) -> None:
        self._validators[path] = conditional_headers(response.headers)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()
