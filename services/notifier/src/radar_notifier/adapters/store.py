"""Endpoints kept in Redis: one hash, endpoint id → the endpoint as JSON (secrets included:
the notifier signs with them; Redis is the deployment's own trusted store)."""

from typing import Any

from ..domain.endpoints import Endpoint


def endpoints_key(prefix: str) -> str:
    return f"{prefix}:webhooks:endpoints"


class EndpointStore:
    """Add, read, replace and remove endpoints."""

    def __init__(self, redis: Any, prefix: str) -> None:
        self.redis = redis
        self.key = endpoints_key(prefix)

    async def all(self) -> list[Endpoint]:
        """Every endpoint, by id."""
        raw: dict[str, str] = await self.redis.hgetall(self.key)
        return [Endpoint.model_validate_json(raw[k]) for k in sorted(raw)]

    async def get(self, endpoint_id: str) -> Endpoint | None:
        raw: str | None = await self.redis.hget(self.key, endpoint_id)
        return Endpoint.model_validate_json(raw) if raw else None

    async def put(self, endpoint: Endpoint) -> None:
        await self.redis.hset(self.key, endpoint.endpoint_id, endpoint.model_dump_json())

    async def remove(self, endpoint_id: str) -> bool:
        return bool(await self.redis.hdel(self.key, endpoint_id))

    async def disable(self, endpoint_id: str, reason: str) -> None:
        """Mark the endpoint disabled (it stays listed, with the reason)."""
        endpoint = await self.get(endpoint_id)
        if endpoint is not None:
            await self.put(endpoint.model_copy(update={"disabled_reason": reason}))
