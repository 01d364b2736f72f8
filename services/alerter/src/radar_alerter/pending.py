"""Inputs waiting for the event-time watermark, in Redis (so replicas share them and a crash
loses none): a sorted set of input keys by event time, their envelopes (encoded, as JSON) in a
hash, and the marks (newest event time admitted, how far decisions went, when an input last
arrived). One replica at a time decides (a lock with a deadline), so decisions are made in
event-time order whichever replica received the inputs."""

import uuid
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import orjson
from redis.asyncio import Redis

from radar_runtime import Publisher
from radar_runtime.commit import script_arg
from radar_runtime.scripts import LuaScript
from radar_schemas import Envelope, decode, encode

from .domain.watermark import InputKind, Marks

ADMIT = LuaScript.load(__package__, "pending_admit.lua")
DONE = LuaScript.load(__package__, "pending_done.lua")
UNLOCK = LuaScript.load(__package__, "pending_unlock.lua")
LOCK_TTL_MS = 60_000  # a releaser that dies holds the lock no longer than this
BATCH = 50
ADMITTED_TTL_S = 7 * 24 * 3600  # as long as stream entries are kept (retention_s)


class Admitted(IntEnum):
    """What admitting an input did (the admit script's return code)."""

    LATE = 0  # its time was decided already: decide it now
    WAITING = 1  # waits for the watermark
    SEEN = 2  # the same envelope admitted before (a redelivery): nothing to do


@dataclass(frozen=True)
class Due:
    """A pending input whose time the watermark has passed."""

    key: str
    event: Envelope[Any]


class PendingInputs:
    """The alerter's pending inputs under one key prefix."""

    def __init__(
        self, redis: "Redis", prefix: str, alerts_stream: str, *, publisher: Publisher | None = None
    ) -> None:
        self.redis, self.alerts_stream, self.prefix = redis, alerts_stream, prefix
        self.publisher = publisher or Publisher.detached(redis, prefix)
        self.pending_key, self.bodies_key = f"{prefix}:alert:pending", f"{prefix}:alert:bodies"
        self.marks_key, self.lock_key = f"{prefix}:alert:marks", f"{prefix}:alert:release-lock"
        self._admit = ADMIT.bind(redis)
        self._unlock = UNLOCK.bind(redis)

    def _keys(self) -> dict[str, str]:
        return {"pending": self.pending_key, "bodies": self.bodies_key}

    async def admit(
        self, kind: InputKind, key: str, at_ms: int, event: Envelope[Any], wall_ms: int
    ) -> Admitted:
        """Keep ``event`` until the watermark passes ``at_ms``, unless it is late or was
        admitted before."""
        args = {
            "member": key,
            "at_ms": at_ms,
            "body_json": script_arg(encode(event)),
            "wall_ms": wall_ms,
            "input": kind.value,
            "ttl_s": ADMITTED_TTL_S,
        }
        admitted = f"{self.prefix}:alert:admitted:{event.event_id}"
        keys = {**self._keys(), "marks": self.marks_key, "admitted": admitted}
        return Admitted(int(await self._admit(keys=keys, args=args)))

    async def marks(self) -> Marks:
        raw: Any = await self.redis.hgetall(self.marks_key)
        fields = {str(k): int(v) for k, v in raw.items() if not str(k).startswith("failed:")}
        return Marks(
            newest_ms={
                InputKind(k.split(":")[1]): v
                for k, v in fields.items()
                if k.startswith("newest_ms:")
            },
            admitted_wall_ms={
                InputKind(k.split(":")[1]): v for k, v in fields.items() if k.startswith("wall_ms:")
            },
            released_ms=fields.get("released_ms"),
        )

    async def advance(self, released_ms: int) -> None:
        """Decisions go up to ``released_ms`` (called under the lock, never backwards)."""
        await self.redis.hset(self.marks_key, "released_ms", str(released_ms))

    async def due(self, up_to_ms: int) -> list[Due]:
        """The first pending inputs at or before ``up_to_ms``, in decision order."""
        keys: Any = await self.redis.zrangebyscore(
            self.pending_key, "-inf", up_to_ms, start=0, num=BATCH
        )
        if not keys:
            return []
        bodies: Any = await self.redis.hmget(self.bodies_key, keys)
        found = []
        for key, body in zip(keys, bodies, strict=True):
            if body is None:  # cannot happen (admitted and removed with its key): tidy up
                await self.done(key, [])
                continue
            found.append(Due(key, decode(orjson.loads(body))))
        return found

    async def done(self, key: str, outputs: list[tuple[str, dict[str, str]]]) -> int:
        """Publish ``key``'s notifications and remove it from pending, in one script."""
        if any(stream != self.alerts_stream for stream, _ in outputs):
            raise ValueError("a pending input may only publish alerts")
        entries = [[x for pair in fields.items() for x in pair] for _, fields in outputs]
        keys = {**self._keys(), "alerts": self.alerts_stream}
        args = {"member": key, "entries_json": script_arg(entries)}
        await self.redis.hdel(self.marks_key, f"failed:{key}")
        reply = await self.publisher.run(DONE, keys=keys, args=args)
        return int(reply["added"].get(self.alerts_stream, 0))

    async def failed(self, key: str) -> int:
        """Count a failed decision of ``key``; how many so far."""
        return int(await self.redis.hincrby(self.marks_key, f"failed:{key}", 1))

    async def lock(self) -> str | None:
        """A token when this process may decide now; None when another one is deciding."""
        token = uuid.uuid4().hex
        taken = await self.redis.set(self.lock_key, token, nx=True, px=LOCK_TTL_MS)
        return token if taken else None

    async def keep_lock(self) -> None:
        """Push the lock's deadline back while a long release (a replay's end) goes on."""
        await self.redis.pexpire(self.lock_key, LOCK_TTL_MS)

    async def unlock(self, token: str) -> None:
        await self._unlock(keys={"lock": self.lock_key}, args={"token": token})
