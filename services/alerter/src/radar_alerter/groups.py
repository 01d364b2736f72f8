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
from enum import IntEnum
from typing import Any

from redis.asyncio import Redis

from radar_runtime import Publisher
from radar_runtime.commit import script_arg
from radar_runtime.scripts import LuaScript

HOLD = LuaScript.load(__package__, "group_hold.lua")
FLUSH = LuaScript.load(__package__, "group_flush.lua")


class Held(IntEnum):
    """What the hold script did with an alert (its return code)."""

    NOT_HELD = 0  # no window open for the group: publish now
    HELD = 1  # waits in the group's window
    SENT_ALREADY = 2  # held or published before: a redelivery
    WINDOW_CLOSED = 3  # the group's window closed at or before this alert: flush, then hold


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
        self._hold = HOLD.bind(redis)
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
    ) -> Held:
        """Hold an encoded alert (event time ``at``) in its group's open window, or open one
        when ``opens``. HELD, NOT_HELD (no window open: publish now) or SENT_ALREADY (a
        redelivery)."""
        keys = {
            "held": self._held_key(group),
            "due": self.due_key,
            "wall": self.wall_key,
            "handled": self.sent_key,
        }
        args = {
            "group": group,
            "identity": identity,
            "fields_json": script_arg([x for pair in fields.items() for x in pair]),
            "due_ms": _ms(due),
            "wall_due_ms": wall_due_ms,
            "opens": "1" if opens else "0",
            "at_ms": _ms(at),
        }
        outcome = Held(int(await self._hold(keys=keys, args=args)))
        if outcome is Held.WINDOW_CLOSED:
            await self.flush(group)
            outcome = Held(int(await self._hold(keys=keys, args=args)))
        if outcome is Held.HELD:
            self._read_at = -math.inf  # a window opened or was joined: read its close again
        return outcome

    async def flush(self, group: str) -> int:
        """Publish a group's held alerts in event-time order; returns how many."""
        keys = {
            "held": self._held_key(group),
            "due": self.due_key,
            "wall": self.wall_key,
            "alerts": self.alerts_stream,
        }
        reply = await self.publisher.run(FLUSH, keys=keys, args={"group": group})
        return int(reply["added"].get(self.alerts_stream, 0))

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
