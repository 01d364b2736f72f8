"""group_wait: the first notification of a group (alerts sharing their group_by labels) waits
``group_wait_s`` so that alerts arriving meanwhile go out together.

A group's window closes at its first alert's event time + group_wait_s, when an event at or
past that time arrives (so a replay batches the same alerts), or after group_wait_s on the wall
clock when no newer event comes (so a quiet live feed is not held forever). A held alert is
stored already encoded and published by one script that empties the group: a crash loses
nothing and publishes nothing twice.

Every event asks whether a window closed by its time. The earliest open window's close is
remembered between events for up to ``DUE_REFRESH_S`` of wall time, so an event before it
costs no round trip; a window another replica opened meanwhile is published at most that much
later (or by the wall-clock flush), and an alert never joins a window that closed before it:
the hold script refuses, and the window is published first.
"""

import math
import time
from datetime import datetime
from typing import Any

from redis.asyncio import Redis

from radar_runtime import Publisher
from radar_runtime.commit import script_arg

_HOLD = """
if redis.call('SADD', KEYS[4], ARGV[2]) == 0 then return 2 end
local closes = redis.call('ZSCORE', KEYS[2], ARGV[1])
if closes and tonumber(closes) <= tonumber(ARGV[7]) then
  redis.call('SREM', KEYS[4], ARGV[2])
  return 3
end
if not closes then
  if ARGV[6] ~= '1' then
    redis.call('SREM', KEYS[4], ARGV[2])
    return 0
  end
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1
"""

_FLUSH = """
local held = redis.call('HGETALL', KEYS[1])
local names, values = {}, {}
for i = 1, #held, 2 do
  names[#names + 1] = held[i]
  values[held[i]] = held[i + 1]
end
table.sort(names)
for _, name in ipairs(names) do
  redis.call('XADD', KEYS[4], '*', unpack(cjson.decode(values[name])))
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return #names
"""

HELD, SENT_ALREADY, NOT_HELD = 1, 2, 0
_WINDOW_CLOSED = 3  # the group's window closed at or before this alert: flush, then hold
DUE_REFRESH_S = 1.0


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


class GroupBuffer:
    """Held notifications per group, under one key prefix."""

    def __init__(
        self, redis: "Redis", prefix: str, alerts_stream: str, *, publisher: Publisher | None = None
    ) -> None:
        self.redis, self.prefix, self.alerts_stream = redis, prefix, alerts_stream
        self.publisher = publisher or Publisher.detached(redis, prefix)
        self.due_key, self.wall_key = f"{prefix}:groups:due", f"{prefix}:groups:wall"
        self.sent_key = f"{prefix}:groups:handled"
        self._hold = redis.register_script(_HOLD)
        self._flush = redis.register_script(_FLUSH)
        # Earliest window close in event-time ms, and when it was read (monotonic s).
        self._next_due_ms, self._read_at = -math.inf, -math.inf

    def _held_key(self, group: str) -> str:
        return f"{self.prefix}:groups:held:{group}"

    async def hold(
        self,
        group: str,
        identity: str,
        fields: dict[str, str],
        *,
        opens: bool,
        at: datetime,
        due: datetime,
        wall_due_ms: int,
    ) -> int:
        """Hold an encoded alert (event time ``at``) in its group's open window, or open one
        when ``opens``. HELD, NOT_HELD (no window open: publish now) or SENT_ALREADY (a
        redelivery)."""
        keys = [self._held_key(group), self.due_key, self.wall_key, self.sent_key]
        flat = script_arg([x for pair in fields.items() for x in pair])
        args: list[Any] = [
            group, identity, flat, _ms(due), wall_due_ms, "1" if opens else "0", _ms(at)
        ]  # fmt: skip
        outcome = int(await self._hold(keys=keys, args=args))
        if outcome == _WINDOW_CLOSED:
            await self.flush(group)
            outcome = int(await self._hold(keys=keys, args=args))
        if outcome == HELD:
            self._read_at = -math.inf  # a window opened or was joined: read its close again
        return outcome

    async def flush(self, group: str) -> int:
        """Publish a group's held alerts in event-time order; returns how many."""
        keys = [self._held_key(group), self.due_key, self.wall_key, self.alerts_stream]
        added = int(await self._flush(keys=keys, args=[group]))
        self.publisher.count({self.alerts_stream: added})
        return added

    async def flush_due(
        self, *, event_time: datetime | None = None, wall_ms: int | None = None
    ) -> int:
        """Publish every group whose window closed by ``event_time`` (or ``wall_ms``)."""
        if event_time is not None:
            at_ms = _ms(event_time)
            if time.monotonic() - self._read_at >= DUE_REFRESH_S:
                await self._read_next_due()
            if at_ms < self._next_due_ms:
                return 0
            groups: Any = await self.redis.zrangebyscore(self.due_key, "-inf", at_ms)
        else:
            groups = await self.redis.zrangebyscore(self.wall_key, "-inf", wall_ms or 0)
        published = sum([await self.flush(g) for g in groups])
        if groups:
            await self._read_next_due()
        return published

    async def _read_next_due(self) -> None:
        first: Any = await self.redis.zrange(self.due_key, 0, 0, withscores=True)
        self._next_due_ms = float(first[0][1]) if first else math.inf
        self._read_at = time.monotonic()
