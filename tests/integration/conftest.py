"""Fixtures the integration tests share beyond the Redis ones in tests/conftest.py."""

from collections.abc import AsyncIterator
from ipaddress import ip_network

import httpx
import pytest

from radar_news.adapters.fetch import make_client
from radar_runtime.netguard import TargetPolicy

# The local servers the fetch tests talk to, and nothing else that is not public.
LOOPBACK = TargetPolicy(allowed_networks=(ip_network("127.0.0.0/8"),))


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The news service's HTTP client, as it builds it, for fetch tests (the SSRF guard lets
    loopback through, for the local servers)."""
    async with make_client(
        "Radar/test (contact: test@example.invalid)", 10, policy=LOOPBACK
    ) as http:
        yield http
