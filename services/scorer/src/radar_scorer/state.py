"""Sector signals in Redis, folded in atomically and once per signal.

Per sector a hash holds each signal's contribution (signal id → Contribution JSON) and a sorted
set orders the signal ids by event time. The signal id is the document or report id, so a
document delivered twice, or published again by a replay, counts once. The figures are computed
from that set (domain/model), so arrival order, replicas and redelivery cannot change them. The
same script decides, once per sector and coalescing interval of event time, which event
publishes the sector's update; the event that won each interval is recorded, so a redelivered
event decides as it did the first time.

Per sector a third hash records what was last published: ``changes`` (signals folded in so
far), ``seen`` (the value of ``changes`` the last update covered), ``as_of`` (its event time)
and ``serial`` (one more per update). The periodic flush publishes a sector whose update is
due only if ``serial`` is still the one it read, in the script that writes the entry to the
stream: two replicas never both publish one flush, and a crash publishes both or neither.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from redis.asyncio import Redis

from radar_runtime import Publisher
from radar_runtime.scripts import LuaScript
from radar_schemas import Contribution, Sector

FOLD = LuaScript.load(__package__, "fold.lua")
FLUSH = LuaScript.load(__package__, "flush.lua")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _ms(at: datetime) -> int:
    """Milliseconds since the epoch, exactly (floored), whatever float rounding would do."""
    return (at - _EPOCH) // timedelta(milliseconds=1)


def _time(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def _us(at: datetime) -> int:
    """Microseconds since the epoch, exactly (2**53 is far off: a Lua number holds it)."""
    return (at - _EPOCH) // timedelta(microseconds=1)


@dataclass(frozen=True)
class Folded:
    """What folding one signal did: whether it was new to its sector, and whether this event
    publishes the sector's update for its coalescing interval."""

    new_signal: bool
    publishes: bool


@dataclass(frozen=True)
class Published:
    """What a sector's last update covered, and how many signals it has now."""

    serial: int  # updates so far: the flush's compare-and-set token
    changes: int  # signals folded in so far
    seen: int  # the value of ``changes`` when the last update was decided
    as_of: datetime | None  # event time of the last update; None before the first

    def due(self, watermark: datetime, interval: timedelta) -> bool:
        """Whether a flush at ``watermark`` publishes the sector: never before its last
        update; else when signals were folded in after that update (late ones too), or when
        event time has moved at least one interval past it (the score has decayed)."""
        if self.as_of is None:
            return True
        if watermark < self.as_of:
            return False
        return self.changes != self.seen or watermark - self.as_of >= interval


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
        """``publisher``: the service's (its Runtime's), which counts the updates a flush
        adds; tools that export no metrics leave it out."""
        self.redis, self.prefix, self.coalesce_ms = redis, prefix, max(1, int(coalesce_s * 1000))
        self.interval = timedelta(milliseconds=self.coalesce_ms)
        self.publisher = publisher or Publisher.detached(redis, prefix)
        self._fold = FOLD.bind(redis)

    def _key(self, kind: str, sector: Sector) -> str:
        return f"{self.prefix}:score:{kind}:{sector.value}"

    async def fold(
        self, sector: Sector, signal_id: str, event_id: str, share: Contribution
    ) -> bool:
        """Add one signal's share to a sector (a second fold of one signal id adds nothing).
        True when this event publishes the sector's update for its coalescing interval (a new
        signal opening a later interval, or the event that did so delivered again)."""
        return (await self.fold_signal(sector, signal_id, event_id, share)).publishes

    async def fold_signal(
        self, sector: Sector, signal_id: str, event_id: str, share: Contribution
    ) -> Folded:
        """``fold``, telling also whether the signal was new to the sector."""
        at_ms = _ms(share.at)
        reply = await self._fold(
            keys={
                "signals": self._key("signals", sector),
                "times": self._key("times", sector),
                "emitted": self._key("emitted", sector),
                "sectors": f"{self.prefix}:score:sectors",
                "newest_ms": f"{self.prefix}:score:newest",
                "published": self._key("published", sector),
                "newest_us": f"{self.prefix}:score:newest_us",
            },
            args={
                "signal_id": signal_id,
                "at_ms": at_ms,
                "share_json": share.model_dump_json(),
                "interval": at_ms // self.coalesce_ms,
                "sector": sector.value,
                "event_id": event_id,
                "at_us": _us(share.at),
            },
        )
        decoded = orjson.loads(reply)
        return Folded(new_signal=decoded["new_signal"], publishes=decoded["publishes"])

    async def signals(
        self, sector: Sector, until: datetime, since: datetime | None = None
    ) -> list[Contribution]:
        """The sector's signals with event time in [since, until], oldest first."""
        low = "-inf" if since is None else _ms(since)
        ids: Any = await self.redis.zrangebyscore(self._key("times", sector), low, _ms(until))
        if not ids:
            return []
        raw = await self.redis.hmget(self._key("signals", sector), ids)
        return [Contribution.model_validate_json(r) for r in raw if r is not None]

    async def count(self, sector: Sector, until: datetime) -> int:
        """How many signals the sector has at or before ``until``."""
        return int(await self.redis.zcount(self._key("times", sector), "-inf", _ms(until)))

    async def latest_signal(self, sector: Sector, until: datetime) -> str | None:
        """Id of the sector's newest signal at or before ``until`` (the greatest id among
        signals of one time)."""
        ids: Any = await self.redis.zrevrangebyscore(
            self._key("times", sector), _ms(until), "-inf", start=0, num=1
        )
        return str(ids[0]) if ids else None

    async def sectors(self) -> list[Sector]:
        """Sectors with at least one signal."""
        members: Any = await self.redis.smembers(f"{self.prefix}:score:sectors")
        return sorted(Sector(s) for s in members)

    async def newest(self) -> datetime | None:
        """Event time of the newest signal folded in, any sector: exactly, so that the
        figures at that time include it (a signal at 09:00:00.5 is after 09:00:00.000)."""
        ms, exact = await self.redis.mget(
            [f"{self.prefix}:score:newest", f"{self.prefix}:score:newest_us"]
        )
        if ms is None:
            return None
        if exact is not None and int(exact) // 1000 >= int(ms):
            return _EPOCH + timedelta(microseconds=int(exact))
        return _time(int(ms)) + timedelta(microseconds=999)  # folded in before newest_us was

    async def published(self, sector: Sector) -> Published:
        """What the sector's last update covered."""
        serial, changes, seen, as_of = await self.redis.hmget(
            self._key("published", sector), ["serial", "changes", "seen", "as_of"]
        )
        return Published(
            serial=int(serial or 0),
            changes=int(changes or 0),
            seen=int(seen or 0),
            as_of=None if as_of is None else _time(int(as_of)),
        )

    async def publish_flush(
        self,
        sector: Sector,
        read: Published,
        at: datetime,
        stream: str,
        fields: dict[str, str],
    ) -> bool:
        """XADD ``fields`` to ``stream`` as the sector's update at ``at`` covering the
        signals counted in ``read``, unless another update was recorded since ``read`` was
        taken (then nothing is written and False is returned)."""
        reply = await self.publisher.run(
            FLUSH,
            keys={
                "published": self._key("published", sector),
                "scores": stream,
                "emitted": self._key("emitted", sector),
            },
            args={
                "serial_read": read.serial,
                "as_of_ms": _ms(at),
                "changes_covered": read.changes,
                "interval": _ms(at) // self.coalesce_ms,
                "fields": [part for pair in fields.items() for part in pair],
            },
        )
        return bool(reply["published"])
