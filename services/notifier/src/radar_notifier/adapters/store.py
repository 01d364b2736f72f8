"""Endpoints kept in Redis: one hash, endpoint id → the endpoint as JSON (secrets included:
the notifier signs with them; Redis is the deployment's own trusted store).

Endpoints are validated when they are made (``radar webhooks add``, the environment); read
back, what an older version stored without today's checks still loads, and the sender judges
it (see ``domain.endpoints.STORED``)."""

from typing import Any

import structlog
from pydantic import ValidationError

from ..domain.endpoints import STORED, Endpoint

log = structlog.get_logger("radar.notifier")


def endpoints_key(prefix: str) -> str:
    return f"{prefix}:webhooks:endpoints"


def load(raw: str) -> Endpoint:
    """An endpoint as stored (ValidationError when it is not one at all)."""
    return Endpoint.model_validate_json(raw, context=STORED)


class EndpointStore:
    """Add, read, replace and remove endpoints."""

    def __init__(self, redis: Any, prefix: str) -> None:
        self.redis = redis
        self.key = endpoints_key(prefix)

    async def all(self) -> list[Endpoint]:
        """Every endpoint that can be read, by id (one that cannot is logged and left out:
        it must not stop the others)."""
        raw: dict[str, str] = await self.redis.hgetall(self.key)
        endpoints = []
        for endpoint_id in sorted(raw):
            try:
                endpoints.append(load(raw[endpoint_id]))
            except ValidationError as exc:
                log.error(
                    "webhook endpoint unreadable", endpoint=endpoint_id, errors=exc.error_count()
                )
        return endpoints

    async def get(self, endpoint_id: str) -> Endpoint | None:
        """The endpoint; ValidationError when what is stored is not an endpoint."""
        raw: str | None = await self.redis.hget(self.key, endpoint_id)
        return load(raw) if raw else None

    async def put(self, endpoint: Endpoint) -> None:
        await self.redis.hset(self.key, endpoint.endpoint_id, endpoint.model_dump_json())

    async def remove(self, endpoint_id: str) -> bool:
        return bool(await self.redis.hdel(self.key, endpoint_id))

    async def disable(self, endpoint_id: str, reason: str) -> None:
        """Mark the endpoint disabled (it stays listed, with the reason)."""
        endpoint = await self.get(endpoint_id)
        if endpoint is not None:
            await self.put(endpoint.model_copy(update={"disabled_reason": reason}))
