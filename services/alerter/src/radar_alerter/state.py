"""Alert state in Redis: firing or resolved per fingerprint, changed by compare-and-set.

The event that made a transition is recorded with it, so that a redelivered event (whose
first attempt changed the state but never got its alert published) makes the same decision
again, while any other event sees the new state: one firing alert per fingerprint.
"""

from dataclasses import dataclass

from redis.asyncio import Redis

from radar_schemas import AlertStatus

_TRANSITION = """
local status = redis.call('HGET', KEYS[1], 'status') or 'resolved'
if status ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'by', ARGV[3])
return 1
"""


@dataclass(frozen=True)
class AlertState:
    firing: bool  # the state the deciding event saw
    decided_by_this_event: bool


class AlertStateStore:
    def __init__(self, redis: "Redis", prefix: str) -> None:
        self.redis, self.prefix = redis, prefix
        self._transition = redis.register_script(_TRANSITION)

    def key(self, fingerprint: str) -> str:
        return f"{self.prefix}:alert:{fingerprint}"

    async def read(self, fingerprint: str, event_id: str) -> AlertState:
        status, by = await self.redis.hmget(self.key(fingerprint), ["status", "by"])
        firing = status == AlertStatus.FIRING.value
        if by == event_id:  # this event already moved the state: decide as it did then
            return AlertState(firing=not firing, decided_by_this_event=True)
        return AlertState(firing=firing, decided_by_this_event=False)

    async def transition(
        self, fingerprint: str, seen: AlertState, new: AlertStatus, event_id: str
    ) -> bool:
        """Move to ``new`` if the state is still what the event saw; True when it moved."""
        if seen.decided_by_this_event:
            return True
        expected = AlertStatus.FIRING if seen.firing else AlertStatus.RESOLVED
        moved = await self._transition(
            keys=[self.key(fingerprint)], args=[expected.value, new.value, event_id]
        )
        return bool(moved)
