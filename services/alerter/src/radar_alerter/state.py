"""Alert state in Redis: one record per fingerprint, changed by compare-and-set.

The event that made a change is recorded with the record it replaced, so that a redelivered
event (whose first attempt changed the state but never got its alert published) decides again
from what it saw then, while any other event sees the new state: one firing alert per
fingerprint, whatever the redelivery.
"""

from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from .domain.lifecycle import AlertRecord

_WRITE = """
local version = redis.call('HGET', KEYS[1], 'version') or '0'
if version ~= ARGV[1] then return 0 end
local old = redis.call('HGET', KEYS[1], 'record') or ''
redis.call('HSET', KEYS[1], 'record', ARGV[2], 'prev', old, 'by', ARGV[3],
           'version', tostring(tonumber(version) + 1))
return 1
"""


@dataclass(frozen=True)
class Seen:
    """The record an event decides from."""

    record: AlertRecord | None
    version: str
    redo: bool  # this event made the latest change: decide again from what it saw then


def _record(raw: str | None) -> AlertRecord | None:
    return AlertRecord.model_validate_json(raw) if raw else None


class AlertStateStore:
    """Alert records under one key prefix."""

    def __init__(self, redis: "Redis", prefix: str) -> None:
        self.redis, self.prefix = redis, prefix
        self._write = redis.register_script(_WRITE)

    def key(self, fingerprint: str) -> str:
        return f"{self.prefix}:alert:{fingerprint}"

    async def read(self, fingerprint: str, event_id: str) -> Seen:
        """The record as ``event_id`` should see it."""
        fields: Any = await self.redis.hmget(
            self.key(fingerprint), ["record", "prev", "by", "version"]
        )
        record, prev, by, version = fields
        if by == event_id:
            return Seen(_record(prev), version or "0", redo=True)
        return Seen(_record(record), version or "0", redo=False)

    async def write(self, fingerprint: str, seen: Seen, record: AlertRecord, event_id: str) -> bool:
        """Store ``record`` if nobody changed the state since it was read; True when stored
        (or when this event had stored it already)."""
        if seen.redo:
            return True
        args = [seen.version, record.model_dump_json(), event_id]
        return bool(await self._write(keys=[self.key(fingerprint)], args=args))

    async def current(self, fingerprint: str) -> AlertRecord | None:
        """The stored record."""
        raw: Any = await self.redis.hget(self.key(fingerprint), "record")
        return _record(raw)
