"""Event cards in Redis: which alert an event's sources belong to, and what the alerter
remembers of each document.

An event card is found by its aliases (its story, its subject company with theme and
direction), each pointing at the card's fingerprint with the event-time span of its sources.
A source whose aliases point at a card whose span, widened by the rule's window, covers the
source's event time joins that card; else it opens a card of its own (a fingerprint of its
first alias and its time, so that a later event of the same subject is another card). A
source seen before keeps the card it joined the first time (a replay adds nothing). One
script reads and extends the aliases, so two replicas give two sources of one event the same
fingerprint (the card itself is then changed by compare-and-set).
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from redis.asyncio import Redis

from radar_runtime.scripts import LuaScript
from radar_schemas import UNKNOWN_PAYLOAD_FIELDS

from .domain.conditions import DocumentNote

RESOLVE = LuaScript.load(__package__, "card_resolve.lua")
ALIAS_TTL_S = 30 * 24 * 3600  # wall time an alias is kept (a replay's window is event time)
NOTE_TTL_S = 8 * 24 * 3600


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


class EventIndex:
    """Aliases of event cards under one key prefix."""

    def __init__(self, redis: "Redis", prefix: str) -> None:
        self.redis, self.prefix = redis, prefix
        self._resolve = RESOLVE.bind(redis)

    def _key(self, kind: str, name: str) -> str:
        digest = hashlib.sha256(name.encode()).hexdigest()[:32]
        return f"{self.prefix}:alert:{kind}:{digest}"

    async def resolve(
        self,
        source: str,
        aliases: Iterable[str],
        candidate: str,
        at: datetime,
        window_s: float,
    ) -> str:
        """The card ``source`` (rule and document id) joined before; else the card one of
        ``aliases`` points at (within ``window_s`` of its sources), else ``candidate``.
        Every alias then points at it."""
        keys = {
            "source": self._key("source", source),
            "aliases": [self._key("alias", a) for a in aliases],
        }
        args = {
            "candidate": candidate,
            "at_ms": _ms(at),
            "window_ms": int(window_s * 1000),
            "ttl_s": ALIAS_TTL_S,
        }
        found = await self._resolve(keys=keys, args=args)
        return found.decode() if isinstance(found, bytes) else str(found)


class DocumentNotes:
    """Companies and figures of recent documents, by document id."""

    def __init__(self, redis: "Redis", prefix: str) -> None:
        self.redis, self.prefix = redis, prefix

    def _key(self, document_id: str) -> str:
        return f"{self.prefix}:alert:note:{document_id}"

    async def remember(self, document_id: str, note: DocumentNote) -> None:
        await self.redis.set(self._key(document_id), note.model_dump_json(), ex=NOTE_TTL_S)

    async def recall(self, document_ids: Iterable[str]) -> dict[str, DocumentNote]:
        ids = list(dict.fromkeys(document_ids))
        if not ids:
            return {}
        raw: Any = await self.redis.mget([self._key(i) for i in ids])
        return {
            i: DocumentNote.model_validate_json(r, extra=UNKNOWN_PAYLOAD_FIELDS)
            for i, r in zip(ids, raw, strict=True)
            if r
        }
