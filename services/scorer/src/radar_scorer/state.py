"""Sector score state in Redis, folded in atomically and once per event id.

The score decays with event time: a signal at time t is worth delta × 2^(-(now - t) / half-life).
A signal later than the newest one seen decays the score to its time first; an earlier (late)
signal is added already decayed. Both folds commute, so any arrival order gives the same score
(up to floating-point rounding).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from redis.asyncio import Redis

from radar_schemas import Sector

_FOLD = """
if redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
  local score = tonumber(redis.call('HGET', KEYS[1], 'score') or '0')
  local attention = tonumber(redis.call('HGET', KEYS[1], 'attention') or '0')
  local t = tonumber(ARGV[2])
  local as_of = tonumber(redis.call('HGET', KEYS[1], 'as_of') or ARGV[2])
  local delta, half_life = tonumber(ARGV[3]), tonumber(ARGV[4])
  if t >= as_of then
    local f = 2 ^ (-(t - as_of) / half_life)
    score, attention, as_of = score * f + delta, attention * f + 1, t
  else
    local f = 2 ^ (-(as_of - t) / half_life)
    score, attention = score + delta * f, attention + f
  end
  redis.call('HSET', KEYS[1], 'score', string.format('%.17g', score),
             'attention', string.format('%.17g', attention), 'as_of', string.format('%d', as_of))
  redis.call('HINCRBY', KEYS[1], 'signals', 1)
end
return redis.call('HMGET', KEYS[1], 'score', 'attention', 'as_of', 'signals')
"""


@dataclass(frozen=True)
class SectorState:
    sector: Sector
    score: float
    attention: float
    as_of: datetime
    signals: int


class ScoreStore:
    def __init__(self, redis: "Redis", prefix: str, half_life_s: float) -> None:
        self.redis, self.prefix, self.half_life_ms = redis, prefix, half_life_s * 1000
        self._fold = redis.register_script(_FOLD)

    async def fold(self, sector: Sector, event_id: str, at: datetime, delta: float) -> SectorState:
        """Fold one signal into a sector's score; a second fold of one event id changes nothing."""
        keys = [f"{self.prefix}:score:{sector.value}", f"{self.prefix}:score:seen:{sector.value}"]
        at_ms = int(at.timestamp() * 1000)
        score, attention, as_of, signals = await self._fold(
            keys=keys, args=[event_id, at_ms, repr(delta), repr(self.half_life_ms)]
        )
        return SectorState(
            sector,
            float(score),
            float(attention),
            datetime.fromtimestamp(int(as_of) / 1000, tz=UTC),
            int(signals),
        )
