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
from typing import Any

_ENQUEUE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'endpoint_id', ARGV[1], 'event', ARGV[2], 'attempts', ARGV[3],
           'queued_at', ARGV[4], 'last_error', '')
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
return 1
"""

# KEYS: due set, parked set. ARGV: now, lease until, limit, scan limit, default room,
# parked key prefix, then (endpoint id, room) pairs for endpoints with less than the default.
_CLAIM = """
local now, lease, limit = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local scan_limit, default_room, parked = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local room = {}
for i = 7, #ARGV, 2 do room[ARGV[i]] = tonumber(ARGV[i + 1]) end
local function room_of(endpoint)
  local r = room[endpoint]
  if r == nil then return default_room end
  return r
end
for _, endpoint in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local key = parked .. endpoint
  local r = room_of(endpoint)
  if r > 0 then
    local rows = redis.call('ZRANGE', key, 0, r - 1, 'WITHSCORES')
    for i = 1, #rows, 2 do
      redis.call('ZADD', KEYS[1], rows[i + 1], rows[i])
      redis.call('ZREM', key, rows[i])
    end
  end
  if redis.call('EXISTS', key) == 0 then redis.call('SREM', KEYS[2], endpoint) end
end
local claimed, scanned = {}, 0
while #claimed < limit and scanned < scan_limit do
  local rows = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0,
                          math.min(100, scan_limit - scanned))
  if #rows == 0 then break end
  for i = 1, #rows, 2 do
    if #claimed >= limit then break end
    local id, score = rows[i], rows[i + 1]
    local endpoint = string.match(id, '^(.*):[^:]*$') or id
    local r = room_of(endpoint)
    scanned = scanned + 1
    if r > 0 then
      redis.call('ZADD', KEYS[1], lease, id)
      claimed[#claimed + 1] = id
      room[endpoint] = r - 1
    else
      redis.call('ZREM', KEYS[1], id)
      redis.call('ZADD', parked .. endpoint, score, id)
      redis.call('SADD', KEYS[2], endpoint)
    end
  end
end
return claimed
"""

_PENDING = """
local n = redis.call('ZCARD', KEYS[1])
for _, endpoint in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  n = n + redis.call('ZCARD', ARGV[1] .. endpoint)
end
return n
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
        self.parked_key = f"{prefix}:webhooks:parked"
        self.parked_prefix = f"{prefix}:webhooks:parked:"
        self._enqueue = redis.register_script(_ENQUEUE)
        self._claim = redis.register_script(_CLAIM)
        self._pending = redis.register_script(_PENDING)

    def key(self, delivery_id: str) -> str:
        return self.item_prefix + delivery_id

    async def enqueue(self, endpoint_id: str, fields: dict[str, str], now: float) -> bool:
        """Queue a delivery due now; False when it is already queued."""
        delivery_id = f"{endpoint_id}:{fields['event_id']}"
        args = [endpoint_id, json.dumps(fields), 0, now, delivery_id]
        return bool(await self._enqueue(keys=[self.key(delivery_id), self.due_key], args=args))

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
        pairs = [str(v) for item in (rooms or {}).items() for v in item]
        args = [now, now + lease_s, limit, scan_limit, room, self.parked_prefix, *pairs]
        ids = await self._claim(keys=[self.due_key, self.parked_key], args=args)
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
        """Forget the delivery; with ``dead_letter`` (stream, fields), add that entry in the
        same transaction."""
        async with self.redis.pipeline(transaction=True) as pipe:
            if dead_letter is not None:
                pipe.xadd(dead_letter[0], dead_letter[1])
            pipe.delete(self.key(delivery.delivery_id))
            pipe.zrem(self.due_key, delivery.delivery_id)
            pipe.zrem(self.parked_prefix + delivery.endpoint_id, delivery.delivery_id)
            await pipe.execute()

    async def pending(self) -> int:
        """Deliveries waiting (first attempts and retries, parked ones included)."""
        keys = [self.due_key, self.parked_key]
        return int(await self._pending(keys=keys, args=[self.parked_prefix]))

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
