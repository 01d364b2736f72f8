"""data.sec.gov over HTTP, within the SEC's fair-access rules.

Every request declares a User-Agent with a contact, the client as a whole stays at or
under ``max_requests_per_s`` (a leaky bucket shared by all callers), and a document that has
not changed since the last fetch (ETag / Last-Modified answered with 304) is not read again.
"""

from typing import Any

import httpx
from aiolimiter import AsyncLimiter


class SecClient:
    """Fetches XBRL companyfacts; one instance per service, closed at shutdown."""

    def __init__(
        self,
        base_url: str,
        user_agent: str,
        max_requests_per_s: float,
        timeout_s: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=timeout_s,
            transport=transport,
        )
        # One request per 1/rate seconds: no burst above the limit in any one-second window.
        self._limiter = AsyncLimiter(1, 1.0 / max_requests_per_s)
        self._validators: dict[str, dict[str, str]] = {}

    async def companyfacts(self, cik: str) -> dict[str, Any] | None:
        """The companyfacts document of ``cik``; None when unchanged since the last call."""
        path = f"/api/xbrl/companyfacts/CIK{int(cik):010d}.json"
        async with self._limiter:
            response = await self._http.get(path, headers=self._validators.get(path, {}))
        if response.status_code == httpx.codes.NOT_MODIFIED:
            return None
        response.raise_for_status()
        self._remember(path, response)
        document: dict[str, Any] = response.json()
        return document

    def _remember(self, path: str, response: httpx.Response) -> None:
        validators = {}
        if etag := response.headers.get("ETag"):
            validators["If-None-Match"] = etag
        if modified := response.headers.get("Last-Modified"):
            validators["If-Modified-Since"] = modified
        self._validators[path] = validators

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()
