"""Deliveries waiting for their next attempt, kept in Redis so that a restart loses none.

- ``<prefix>:webhooks:due``: sorted set, delivery id → when its next attempt is due (epoch s);
- ``<prefix>:webhooks:delivery:<id>``: hash with the endpoint id, the alert (wire fields as
  JSON), the attempts made, the last error and when the delivery was first queued.

- ``<prefix>:webhooks:parked:<endpoint id>``: sorted set, the due deliveries of an endpoint
  that had no room for them when they were claimed (as many attempts in flight as it may
  have, or its circuit open), with their due times; ``<prefix>:webhooks:parked``: set of the
  endpoints that have parked deliveries.

A delivery id is ``<endpoint id>:<event id>``, so queuing the same alert twice for an endpoint
(the alert redelivered to the notifier) keeps one delivery. Claiming moves a due delivery's
score forward by a lease: if the process dies mid-attempt, the delivery becomes due again
when the lease runs out, and another replica (or the restarted one) retries it.

Claiming is fair between endpoints: it is given the room each endpoint has (its limit less
the attempts in flight; none while its circuit is open) and parks what does not fit instead
of leaving it at the head of the due set, where every later claim would have to step over it
again. A hanging endpoint's backlog is thus stepped over once, not on every claim, and it
cannot hold up the deliveries of the others. Parked deliveries go back to the due set, oldest
first, as room frees up (any replica whose view gives the endpoint room returns them, so a
replica that dies leaves none parked for good)."""

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from radar_runtime import Publisher
from radar_runtime.scripts import LuaScript
from radar_schemas import Streams

ENQUEUE = LuaScript.load(__package__, "enqueue.lua")
CLAIM = LuaScript.load(__package__, "claim.lua")
PENDING = LuaScript.load(__package__, "pending.lua")
FINISH = LuaScript.load(__package__, "finish.lua")


class Enqueued(StrEnum):
    """What enqueue.lua did."""

    QUEUED = "queued"
    QUEUED_ALREADY = "queued_already"  # the same alert for the same endpoint: kept once


@dataclass(frozen=True)
class Delivery:
    """One alert on its way to one endpoint."""

    delivery_id: str
    endpoint_id: str
    event_fields: dict[str, str]
    attempts: int
    queued_at: float
    last_error: str = ""


class DeliveryQueue:
    """Queue, claim, reschedule and finish deliveries."""

    def __init__(self, redis: Any, prefix: str, *, publisher: Publisher | None = None) -> None:
        """``publisher``: the service's (its Runtime's), which counts the dead letters added;
        tools that export no metrics leave it out."""
        self.redis = redis
        self.due_key = f"{prefix}:webhooks:due"
        self.item_prefix = f"{prefix}:webhooks:delivery:"
        self.parked_key = f"{prefix}:webhooks:parked"
        self.parked_prefix = f"{prefix}:webhooks:parked:"
        self.deadletter = Streams(prefix).deadletter
        self.publisher = publisher or Publisher.detached(redis, prefix)
        self._enqueue = ENQUEUE.bind(redis)
        self._claim = CLAIM.bind(redis)
        self._pending = PENDING.bind(redis)

    def key(self, delivery_id: str) -> str:
        return self.item_prefix + delivery_id

    async def enqueue(self, endpoint_id: str, fields: dict[str, str], now: float) -> bool:
        """Queue a delivery due now; False when it is already queued."""
        delivery_id = f"{endpoint_id}:{fields['event_id']}"
        reply = await self._enqueue(
            keys={"delivery": self.key(delivery_id), "due": self.due_key},
            args={
                "endpoint_id": endpoint_id,
                "event_json": json.dumps(fields),
                "attempts": 0,
                "queued_at": now,
                "delivery_id": delivery_id,
            },
        )
        return Enqueued(reply) is Enqueued.QUEUED

    async def claim(
        self,
        now: float,
        lease_s: float,
        limit: int,
        *,
        room: int = 1_000_000,
        rooms: dict[str, int] | None = None,
        scan_limit: int = 2_000,
    ) -> list[Delivery]:
        """Up to ``limit`` due deliveries, leased for ``lease_s``: at most ``room`` per
        endpoint, or ``rooms[endpoint id]`` for those given (0: none); what does not fit is
        parked. Parked deliveries of endpoints with room are returned to the due set first.
        At most ``scan_limit`` due deliveries are looked at (bounds the script's time)."""
        if limit <= 0:
            return []
        ids = await self._claim(
            keys={"due": self.due_key, "parked": self.parked_key},
            args={
                "now": now,
                "lease_until": now + lease_s,
                "limit": limit,
                "scan_limit": scan_limit,
                "default_room": room,
                "parked_prefix": self.parked_prefix,
                "rooms": [str(v) for item in (rooms or {}).items() for v in item],
            },
        )
        if not ids:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for delivery_id in ids:
                pipe.hgetall(self.key(delivery_id))
            rows = await pipe.execute()
        found = [(i, row) for i, row in zip(ids, rows, strict=True) if row]
        stray = [i for i, row in zip(ids, rows, strict=True) if not row]
        if stray:
            await self.redis.zrem(self.due_key, *stray)
        return [_delivery(i, row) for i, row in found]

    async def reschedule(
        self, delivery: Delivery, due: float, *, attempts: int, error: str
    ) -> None:
        """Due again at ``due``, with the attempts made so far and the last error."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                self.key(delivery.delivery_id), mapping={"attempts": attempts, "last_error": error}
            )
            pipe.zadd(self.due_key, {delivery.delivery_id: due})
            pipe.zrem(self.parked_prefix + delivery.endpoint_id, delivery.delivery_id)
            await pipe.execute()

    async def finish(
        self, delivery: Delivery, *, dead_letter: tuple[str, dict[str, str]] | None = None
    ) -> None:
        """Forget the delivery; with ``dead_letter`` (stream, fields), add that entry first,
        in the same script (run by the publisher, which counts it)."""
        stream, fields = dead_letter or (self.deadletter, {})
        await self.publisher.run(
            FINISH,
            keys={
                "delivery": self.key(delivery.delivery_id),
                "due": self.due_key,
                "endpoint_parked": self.parked_prefix + delivery.endpoint_id,
                "deadletter": stream,
            },
            args={
                "delivery_id": delivery.delivery_id,
                "dead_letter": [part for pair in fields.items() for part in pair],
            },
        )

    async def pending(self) -> int:
        """Deliveries waiting (first attempts and retries, parked ones included)."""
        return int(
            await self._pending(
                keys={"due": self.due_key, "parked": self.parked_key},
                args={"parked_prefix": self.parked_prefix},
            )
        )

    async def get(self, delivery_id: str) -> Delivery | None:
        row = await self.redis.hgetall(self.key(delivery_id))
        return _delivery(delivery_id, row) if row else None


def _delivery(delivery_id: str, row: dict[str, str]) -> Delivery:
    return Delivery(
        delivery_id=delivery_id,
        endpoint_id=row["endpoint_id"],
        event_fields=json.loads(row["event"]),
        attempts=int(row["attempts"]),
        queued_at=float(row["queued_at"]),
        last_error=row.get("last_error", ""),
    )
