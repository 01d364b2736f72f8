"""Alert state in Redis: one record per fingerprint, changed by compare-and-set.

Every change is written together with the decision that made it (the notification it sends,
if any), under the deciding event's id, kept for ``decided_ttl_s``. A redelivered event (whose
first attempt changed the state but never got its notification published) finds its decision
and publishes the same notification again, whatever other events changed since; any other
event sees the new state. So: one firing alert per fingerprint, none lost, whatever the
redelivery.
"""

from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from redis.asyncio import Redis

from radar_runtime.scripts import LuaScript
from radar_schemas import UNKNOWN_PAYLOAD_FIELDS, AlertRaised

from .domain.lifecycle import AlertRecord

WRITE = LuaScript.load(__package__, "state_write.lua")
DECIDED_TTL_S = 7 * 24 * 3600  # as long as stream entries are kept (retention_s)


class StateChanged(RuntimeError):
    """Another replica changed the alert state meanwhile; the entry is retried."""


@dataclass(frozen=True)
class Seen:
    """The record an event decides from, or the decision it made before."""

    record: AlertRecord | None
    version: str
    redo: bool = False  # this event decided already: publish ``alerts`` again, decide nothing
    alerts: tuple[AlertRaised, ...] = ()


def _decided(raw: str) -> tuple[AlertRaised, ...]:
    """A stored decision: a JSON list of notifications (or, as written before, one)."""
    if not raw:
        return ()
    if raw.startswith("["):
        return tuple(_ALERTS.validate_json(raw, extra=UNKNOWN_PAYLOAD_FIELDS))
    return (AlertRaised.model_validate_json(raw, extra=UNKNOWN_PAYLOAD_FIELDS),)


_ALERTS = TypeAdapter(list[AlertRaised])


class AlertStateStore:
    """Alert records under one key prefix."""

    def __init__(self, redis: "Redis", prefix: str, decided_ttl_s: int = DECIDED_TTL_S) -> None:
        self.redis, self.prefix, self.decided_ttl_s = redis, prefix, decided_ttl_s
        self._write = WRITE.bind(redis)

    def key(self, fingerprint: str) -> str:
        return f"{self.prefix}:alert:{fingerprint}"

    def _decided_key(self, fingerprint: str, event_id: str) -> str:
        return f"{self.prefix}:alert:{fingerprint}:decided:{event_id}"

    async def read(self, fingerprint: str, event_id: str) -> Seen:
        """The record as ``event_id`` should see it."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hmget(self.key(fingerprint), ["record", "version"])
            pipe.get(self._decided_key(fingerprint, event_id))
            (record, version), decided = await pipe.execute()
        if decided is not None:
            return Seen(None, version or "0", redo=True, alerts=_decided(decided))
        parsed = (
            AlertRecord.model_validate_json(record, extra=UNKNOWN_PAYLOAD_FIELDS)
            if record
            else None
        )
        return Seen(parsed, version or "0")

    async def write(
        self,
        fingerprint: str,
        seen: Seen,
        record: AlertRecord,
        alerts: tuple[AlertRaised, ...],
        event_id: str,
    ) -> bool:
        """Store ``record`` and the decision (the notifications it sends) if nobody changed
        the state since it was read; True when stored."""
        decided = "[" + ",".join(a.model_dump_json() for a in alerts) + "]" if alerts else ""
        args = {
            "version": seen.version,
            "record_json": record.model_dump_json(),
            "decided_json": decided,
            "decided_ttl_s": self.decided_ttl_s,
        }
        decided_key = self._decided_key(fingerprint, event_id)
        keys = {"record": self.key(fingerprint), "decided": decided_key}
        return bool(await self._write(keys=keys, args=args))

    async def current(self, fingerprint: str) -> AlertRecord | None:
        """The stored record."""
        raw: Any = await self.redis.hget(self.key(fingerprint), "record")
        return AlertRecord.model_validate_json(raw, extra=UNKNOWN_PAYLOAD_FIELDS) if raw else None
