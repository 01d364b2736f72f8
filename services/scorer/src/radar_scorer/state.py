"""Sector signals in Redis, folded in atomically and once per signal, and the intervals of
event time whose score updates are still to be published.

Per sector a hash holds each signal's contribution (signal id → Contribution JSON) and a sorted
set orders the signal ids by event time. The signal id is the document or report id, so a
document delivered twice, or published again by a replay, counts once. The figures are computed
from that set (domain/model), so arrival order, replicas and redelivery cannot change them.

Updates are decided per closed coalescing interval (domain/watermark): the fold marks the
signal's interval end in ``open`` (per sector) and ``ends`` (all sectors); ``released`` is the
last interval end every update was published for; ``published`` (per sector) holds ``as_of``,
the end of the sector's last update. An update is written, and its sector's ``open`` cleared,
by one script that first checks ``as_of`` is still what was read: replicas publish each update
once, and a crash publishes both or neither. An interval leaves ``ends`` only after all of its
updates are out, so a crash may at most compute one again (and find it published).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from redis.asyncio import Redis

from radar_runtime import Publisher
from radar_runtime.scripts import LuaScript
from radar_schemas import UNKNOWN_PAYLOAD_FIELDS, Contribution, Sector

from .domain.watermark import interval_end_ms

FOLD = LuaScript.load(__package__, "fold.lua")
FLUSH = LuaScript.load(__package__, "flush.lua")
ADVANCE = LuaScript.load(__package__, "advance.lua")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _ms(at: datetime) -> int:
    """Milliseconds since the epoch, exactly (floored), whatever float rounding would do."""
    return (at - _EPOCH) // timedelta(milliseconds=1)


def time_of(ms: int) -> datetime:
    """The UTC time ``ms`` milliseconds after the epoch."""
    return _EPOCH + timedelta(milliseconds=ms)


def _us(at: datetime) -> int:
    """Microseconds since the epoch, exactly (2**53 is far off: a Lua number holds it)."""
    return (at - _EPOCH) // timedelta(microseconds=1)


@dataclass(frozen=True)
class Folded:
    """What folding one signal did: whether it was new to its sector, whether it came after
    its interval was published (late), and the interval end (ms) whose update will show it."""

    new_signal: bool
    late: bool
    end_ms: int


@dataclass(frozen=True)
class Marks:
    """Newest event time folded in (ms), the wall-clock ms of the last new signal, and the
    last interval end released (ms); None where nothing is known yet."""

    newest_ms: int | None
    admitted_wall_ms: int | None
    released_ms: int | None


def _int(raw: Any) -> int | None:
    return None if raw is None else int(raw)


class ScoreStore:
    """Reads and folds the signals of every sector under one key prefix."""

    def __init__(
        self,
        redis: "Redis",
        prefix: str,
        coalesce_s: float = 300.0,
        *,
        publisher: Publisher | None = None,
    ) -> None:
        """``publisher``: the service's (its Runtime's), which counts the updates it
        publishes; tools that export no metrics leave it out."""
        self.redis, self.prefix, self.coalesce_ms = redis, prefix, max(1, int(coalesce_s * 1000))
        self.interval = timedelta(milliseconds=self.coalesce_ms)
        self.publisher = publisher or Publisher.detached(redis, prefix)
        self._fold, self._advance = FOLD.bind(redis), ADVANCE.bind(redis)

    def _key(self, kind: str, sector: Sector) -> str:
        return f"{self.prefix}:score:{kind}:{sector.value}"

    def _global(self, name: str) -> str:
        return f"{self.prefix}:score:{name}"

    async def fold(
        self, sector: Sector, signal_id: str, share: Contribution, wall_ms: int = 0
    ) -> Folded:
        """Add one signal's share to a sector (a second fold of one signal id adds nothing)
        and mark its interval to publish; ``wall_ms``: now, for the idle release."""
        reply = await self._fold(
            keys={
                "signals": self._key("signals", sector),
                "times": self._key("times", sector),
                "sectors": self._global("sectors"),
                "newest_ms": self._global("newest"),
                "newest_us": self._global("newest_us"),
                "open": self._key("open", sector),
                "ends": self._global("ends"),
                "released": self._global("released"),
                "published": self._key("published", sector),
                "admitted": self._global("admitted"),
            },
            args={
                "signal_id": signal_id,
                "at_ms": _ms(share.at),
                "share_json": share.model_dump_json(),
                "end_ms": interval_end_ms(_us(share.at), self.coalesce_ms),
                "sector": sector.value,
                "at_us": _us(share.at),
                "interval_ms": self.coalesce_ms,
                "wall_ms": wall_ms,
            },
        )
        decoded = orjson.loads(reply)
        return Folded(decoded["new_signal"], decoded["late"], int(decoded["end_ms"]))

    async def signals(
        self, sector: Sector, until: datetime, since: datetime | None = None
    ) -> list[Contribution]:
        """The sector's signals with event time in [since, until], oldest first."""
        low = "-inf" if since is None else _ms(since)
        ids: Any = await self.redis.zrangebyscore(self._key("times", sector), low, _ms(until))
        if not ids:
            return []
        raw = await self.redis.hmget(self._key("signals", sector), ids)
        found = [
            Contribution.model_validate_json(r, extra=UNKNOWN_PAYLOAD_FIELDS)
            for r in raw
            if r is not None
        ]
        return [c for c in found if (since is None or c.at >= since) and c.at <= until]

    async def count(self, sector: Sector, until: datetime) -> int:
        """How many signals the sector has at or before ``until`` (to the microsecond)."""
        key, until_ms = self._key("times", sector), _ms(until)
        before = int(await self.redis.zcount(key, "-inf", f"({until_ms}"))
        return before + len(await self.signals(sector, until, time_of(until_ms)))

    async def latest_signal(self, sector: Sector, until: datetime) -> str | None:
        """Id of the sector's newest signal at or before ``until`` (the greatest id among
        signals of one millisecond)."""
        ids: Any = await self.redis.zrevrangebyscore(
            self._key("times", sector), _ms(until), "-inf", start=0, num=1
        )
        return str(ids[0]) if ids else None

    async def sectors(self) -> list[Sector]:
        """Sectors with at least one signal."""
        members: Any = await self.redis.smembers(self._global("sectors"))
        return sorted(Sector(s) for s in members)

    async def newest(self) -> datetime | None:
        """Event time of the newest signal folded in, any sector: exactly, so that the
        figures at that time include it (a signal at 09:00:00.5 is after 09:00:00.000)."""
        ms, exact = await self.redis.mget([self._global("newest"), self._global("newest_us")])
        if ms is None:
            return None
        if exact is not None and int(exact) // 1000 >= int(ms):
            return _EPOCH + timedelta(microseconds=int(exact))
        return time_of(int(ms)) + timedelta(microseconds=999)  # folded in before newest_us was

    async def marks(self) -> Marks:
        """Where the watermark stands: see Marks."""
        newest, admitted, released = await self.redis.mget(
            [self._global("newest"), self._global("admitted"), self._global("released")]
        )
        return Marks(_int(newest), _int(admitted), _int(released))

    async def closed_ends(self, up_to_ms: int) -> list[int]:
        """Interval ends (ms) at or before ``up_to_ms`` with updates still to publish."""
        ends: Any = await self.redis.zrangebyscore(self._global("ends"), "-inf", up_to_ms)
        return sorted(int(e) for e in ends)

    async def last_update(self, sector: Sector) -> int | None:
        """End (ms) of the interval the sector's last update was published for."""
        return _int(await self.redis.hget(self._key("published", sector), "as_of"))

    async def waiting(self, sector: Sector, end_ms: int) -> bool:
        """Whether the sector has signals waiting for an interval ending at or before
        ``end_ms``."""
        return int(await self.redis.zcount(self._key("open", sector), "-inf", end_ms)) > 0

    async def publish(
        self,
        sector: Sector,
        last_read_ms: int | None,
        end_ms: int,
        stream: str,
        fields: dict[str, str],
    ) -> bool:
        """XADD ``fields`` to ``stream`` as the sector's update at ``end_ms``, unless its last
        update is no longer ``last_read_ms`` (then nothing is written and False is returned)."""
        reply = await self.publisher.run(
            FLUSH,
            keys={
                "published": self._key("published", sector),
                "scores": stream,
                "open": self._key("open", sector),
            },
            args={
                "as_of_read": "" if last_read_ms is None else last_read_ms,
                "end_ms": end_ms,
                "fields": [part for pair in fields.items() for part in pair],
            },
        )
        return bool(reply["published"])

    async def advance(self, end_ms: int) -> None:
        """Mark the interval ending at ``end_ms`` released (all of its updates are out)."""
        await self._advance(
            keys={"ends": self._global("ends"), "released": self._global("released")},
            args={"end_ms": end_ms},
        )
