"""HTTP helpers every service that fetches or delivers shares."""

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def retry_after_s(value: str | None, now: datetime) -> float | None:
    """The wait a Retry-After header asks for, in seconds from ``now`` (delta-seconds or an
    HTTP date; a date already past is 0); None when absent or unreadable."""
    if not value or not (value := value.strip()):
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def conditional_headers(response_headers: Mapping[str, str]) -> dict[str, str]:
    """The headers that ask for a document again only if it changed: If-None-Match for the
    response's ETag, If-Modified-Since for its Last-Modified (``response_headers`` looked up
    case-insensitively, as httpx's are)."""
    headers = {}
    if etag := response_headers.get("etag"):
        headers["If-None-Match"] = etag
    if modified := response_headers.get("last-modified"):
        headers["If-Modified-Since"] = modified
    return headers
