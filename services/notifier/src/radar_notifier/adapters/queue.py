"""Deliveries waiting for their next attempt, kept in Redis so that a restart loses none.

- ``<prefix>:webhooks:due``: sorted set, delivery id → when its next attempt is due (epoch s);
- ``<prefix>:webhooks:delivery:<id>``: hash with the endpoint id, the alert (wire fields as
  JSON), the attempts made, the last error and when the delivery was first queued.

A delivery id is ``<endpoint id>:<event id>``, so queuing the same alert twice for an endpoint
(the alert redelivered to the notifier) keeps one delivery. Claiming moves a due delivery's
score forward by a lease: if the process dies mid-attempt, the delivery becomes due again
when the lease runs out, and another replica (or the restarted one) retries it."""

import json
from dataclasses import dataclass
from typing import Any

_ENQUEUE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'endpoint_id', ARGV[1], 'event', ARGV[2], 'attempts', ARGV[3],
           'queued_at', ARGV[4], 'last_error', '')
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
return 1
"""

_CLAIM = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
return ids
"""


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

    def __init__(self, redis: Any, prefix: str) -> None:
        self.redis = redis
        self.due_key = f"{prefix}:webhooks:due"
        self.item_prefix = f"{prefix}:webhooks:delivery:"
        self._enqueue = redis.register_script(_ENQUEUE)
        self._claim = redis.register_script(_CLAIM)

    def key(self, delivery_id: str) -> str:
        return self.item_prefix + delivery_id

    async def enqueue(self, endpoint_id: str, fields: dict[str, str], now: float) -> bool:
        """Queue a delivery due now; False when it is already queued."""
        delivery_id = f"{endpoint_id}:{fields['event_id']}"
        args = [endpoint_id, json.dumps(fields), 0, now, delivery_id]
        return bool(await self._enqueue(keys=[self.key(delivery_id), self.due_key], args=args))

    async def claim(self, now: float, lease_s: float, limit: int) -> list[Delivery]:
        """Up to ``limit`` due deliveries, leased for ``lease_s``."""
        if limit <= 0:
            return []
        ids = await self._claim(keys=[self.due_key], args=[now, now + lease_s, limit])
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
            await pipe.execute()

    async def finish(
        self, delivery: Delivery, *, dead_letter: tuple[str, dict[str, str]] | None = None
    ) -> None:
        """Forget the delivery; with ``dead_letter`` (stream, fields), add that entry in the
        same transaction."""
        async with self.redis.pipeline(transaction=True) as pipe:
            if dead_letter is not None:
                pipe.xadd(dead_letter[0], dead_letter[1])
            pipe.delete(self.key(delivery.delivery_id))
            pipe.zrem(self.due_key, delivery.delivery_id)
            await pipe.execute()

    async def pending(self) -> int:
        """Deliveries waiting (first attempts and retries)."""
        return int(await self.redis.zcard(self.due_key))

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
