"""Silences and inhibitions in Redis."""

from datetime import datetime
from typing import Any

from redis.asyncio import Redis

from radar_runtime.scripts import LuaScript

from .domain.silences import Silence

INHIBIT = LuaScript.load(__package__, "inhibit.lua")


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


class SilenceStore:
    """Silences, kept until they are deleted (expired ones are listed as expired)."""

    def __init__(self, redis: "Redis", prefix: str) -> None:
        self.redis, self.key = redis, f"{prefix}:silences"

    async def add(self, silence: Silence) -> Silence:
        await self.redis.hset(self.key, silence.id, silence.model_dump_json())
        return silence

    async def all(self) -> list[Silence]:
        """Every silence, oldest start first."""
        raw: Any = await self.redis.hvals(self.key)
        return sorted((Silence.model_validate_json(r) for r in raw), key=lambda s: s.starts_at)

    async def expire(self, silence_id: str, now: datetime) -> Silence | None:
        """End a silence now; None when there is no such silence."""
        raw: Any = await self.redis.hget(self.key, silence_id)
        if raw is None:
            return None
        silence = Silence.model_validate_json(raw)
        ended = silence.model_copy(update={"ends_at": min(silence.ends_at, now)})
        return await self.add(ended)


class InhibitionStore:
    """Event-time windows during which a rule's alerts for some labels are muted."""

    def __init__(self, redis: "Redis", prefix: str) -> None:
        self.redis, self.key = redis, f"{prefix}:inhibitions"
        self._inhibit = INHIBIT.bind(redis)

    async def inhibit(self, key: str, start: datetime, end: datetime) -> None:
        """Mute ``key`` from ``start`` to ``end`` (widening any window already there)."""
        await self._inhibit(
            keys={"inhibitions": self.key},
            args={"key": key, "start_ms": _ms(start), "end_ms": _ms(end)},
        )

    async def active(self, key: str, at: datetime) -> bool:
        """Whether ``key`` is muted at event time ``at``."""
        raw: Any = await self.redis.hget(self.key, key)
        if raw is None:
            return False
        start, end = (int(v) for v in raw.split(":"))
        return start <= _ms(at) < end
