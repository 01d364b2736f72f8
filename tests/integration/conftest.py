"""Fixtures the integration tests share beyond the Redis ones in tests/conftest.py."""

from collections.abc import AsyncIterator

import httpx
import pytest

from radar_news.adapters.fetch import make_client


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The news service's HTTP client, as it builds it, for fetch tests."""
    async with make_client("Radar/test (contact: test@example.invalid)", 10) as http:
        yield http
