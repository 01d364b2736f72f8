"""Sector signals in Redis, folded in atomically and once per signal.

Per sector a hash holds each signal's contribution (signal id → Contribution JSON) and a sorted
set orders the signal ids by event time. The signal id is the document or report id, so a
document delivered twice, or published again by a replay, counts once. The figures are computed
from that set (domain/model), so arrival order, replicas and redelivery cannot change them. The
same script decides, once per sector and coalescing interval of event time, which event
publishes the sector's update; the event that won each interval is recorded, so a redelivered
event decides as it did the first time.
"""

from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from radar_schemas import Contribution, Sector

_FOLD = """
local added = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3])
if added == 1 then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
  redis.call('SADD', KEYS[4], ARGV[5])
  local newest = tonumber(redis.call('GET', KEYS[5]) or '-1e18')
  if tonumber(ARGV[2]) > newest then redis.call('SET', KEYS[5], ARGV[2]) end
end
if redis.call('HGET', KEYS[3], ARGV[4]) == ARGV[6] then return 1 end
local last = redis.call('HGET', KEYS[3], 'last')
if added == 1 and (not last or tonumber(ARGV[4]) > tonumber(last)) then
  redis.call('HSET', KEYS[3], 'last', ARGV[4], ARGV[4], ARGV[6])
  return 1
end
return 0
"""


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


class ScoreStore:
    """Reads and folds the signals of every sector under one key prefix."""

    def __init__(self, redis: "Redis", prefix: str, coalesce_s: float = 300.0) -> None:
        self.redis, self.prefix, self.coalesce_ms = redis, prefix, max(1, int(coalesce_s * 1000))
        self._fold = redis.register_script(_FOLD)

    def _key(self, kind: str, sector: Sector) -> str:
        return f"{self.prefix}:score:{kind}:{sector.value}"

    async def fold(
        self, sector: Sector, signal_id: str, event_id: str, share: Contribution
    ) -> bool:
        """Add one signal's share to a sector (a second fold of one signal id adds nothing).
        True when this event publishes the sector's update for its coalescing interval (a new
        signal opening a later interval, or the event that did so delivered again)."""
        at_ms = _ms(share.at)
        keys = [
            self._key("signals", sector),
            self._key("times", sector),
            self._key("emitted", sector),
            f"{self.prefix}:score:sectors",
            f"{self.prefix}:score:newest",
        ]
        bucket = at_ms // self.coalesce_ms
        args: list[Any] = [
            signal_id,
            at_ms,
            share.model_dump_json(),
            bucket,
            sector.value,
            event_id,
        ]
        return bool(await self._fold(keys=keys, args=args))

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

    async def sectors(self) -> list[Sector]:
        """Sectors with at least one signal."""
        members: Any = await self.redis.smembers(f"{self.prefix}:score:sectors")
        return sorted(Sector(s) for s in members)

    async def newest(self) -> datetime | None:
        """Event time of the newest signal folded in, any sector."""
        value = await self.redis.get(f"{self.prefix}:score:newest")
        return None if value is None else datetime.fromtimestamp(int(value) / 1000, tz=UTC)
