"""The one way entries are added to streams.

A handler's outputs are collected by an Emitter and committed with its acks (commit.py); a
producer that consumes nothing publishes an Emitter's outputs, or publishes once per key
(feeds and calendars repeat themselves); a service's own Lua script that adds entries (a
periodic flush, an ingest that records what it publishes) runs through ``Publisher.run``.
Each of these goes through a ``Publisher``, which counts every entry Redis reports added in
``radar_messages_published_total{stream}``, and nothing else writes a stream: a script that
says XADD cannot be called except through ``Publisher.run`` (see scripts.py)."""

from collections import Counter as Tally
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel
from redis.asyncio import Redis

from radar_schemas import Envelope, EventType, Streams, encode, new_event

from .metrics import RuntimeMetrics
from .scripts import BoundScript, LuaScript

Output = tuple[str, dict[str, str]]
PUBLISH_ONCE = LuaScript.load(__package__, "publish_once.lua")
PUBLISH_ONCE_CHUNK = 500  # entries per script call: a bounded time inside Redis
OTHER_STREAM = "other"  # the label of a stream outside the deployment's fixed set


@dataclass
class Emitter:
    """Collects the events a handler emits for one input. Correlation and causation ids are
    carried over from the input, so an alert can be traced to the document that caused it."""

    producer: str
    correlation_id: str
    causation_id: str | None
    outputs: list[Output] = field(default_factory=list)

    def emit(
        self,
        stream: str,
        event_type: EventType,
        payload: BaseModel,
        *,
        occurred_at: datetime,
        correlation_id: str | None = None,
    ) -> Envelope[Any]:
        event = new_event(
            event_type,
            payload,
            producer=self.producer,
            correlation_id=correlation_id or self.correlation_id,
            causation_id=self.causation_id,
            occurred_at=occurred_at,
        )
        self.outputs.append((stream, encode(event)))
        return event


class Publisher:
    """Adds entries to the streams of one deployment and counts each one added, by stream."""

    def __init__(self, redis: "Redis", metrics: RuntimeMetrics, streams: Streams) -> None:
        self.redis, self.metrics, self.streams = redis, metrics, streams
        self._labels = {key: name for name, key in streams.all().items()}
        self._bound: dict[LuaScript, BoundScript] = {}

    @classmethod
    def detached(cls, redis: "Redis", prefix: str) -> "Publisher":
        """A publisher counting into a registry of its own, for tools that export no
        metrics (tests, offline commands); a service passes its Runtime's publisher."""
        return cls(redis, RuntimeMetrics(), Streams(prefix))

    def label(self, stream: str) -> str:
        """The stream's logical name (news, scores, ...): the metric label, a fixed set."""
        return self._labels.get(stream, OTHER_STREAM)

    def count(self, added: Mapping[str, int]) -> None:
        """Count entries Redis reported added, ``{stream key: how many}``."""
        for stream, how_many in added.items():
            if how_many:
                self.metrics.published.labels(self.label(stream)).inc(how_many)

    async def add(self, outputs: Sequence[Output]) -> list[str]:
        """XADD every output in one round trip; returns the new entry ids. Entries added
        before a failing one are counted, then the error is raised."""
        if not outputs:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for stream, fields in outputs:
                pipe.xadd(stream, fields)  # type: ignore[arg-type]
            replies: list[Any] = await pipe.execute(raise_on_error=False)
        added = [s for (s, _), r in zip(outputs, replies, strict=True) if not _failed(r)]
        self.count(Tally(added))
        for reply in replies:
            if _failed(reply):
                raise reply
        return [str(r) for r in replies]

    async def add_once(
        self, stream: str, keyed: Iterable[tuple[str, dict[str, str]]], ttl_s: int
    ) -> int:
        """Add each ``(seen key, fields)`` whose key was not set within ``ttl_s``, marking the
        key in the script that adds the entry (publish_once.lua); returns how many were added."""
        pending, added = list(keyed), 0
        for start in range(0, len(pending), PUBLISH_ONCE_CHUNK):
            chunk = pending[start : start + PUBLISH_ONCE_CHUNK]
            reply = await self.run(
                PUBLISH_ONCE,
                keys={"stream": stream, "seen": [key for key, _ in chunk]},
                args={
                    "ttl_s": ttl_s,
                    "entries_json": orjson.dumps([_flat(fields) for _, fields in chunk]),
                },
            )
            added += int(reply["added"].get(stream, 0))
        return added

    async def run(
        self,
        script: LuaScript,
        *,
        keys: Mapping[str, str | Sequence[str]],
        args: Mapping[str, Any],
    ) -> dict[str, Any]:
        """Run a script that adds entries and returns ``cjson.encode({added = {[stream key] =
        count}, ...})``; counts what it added and returns its whole reply, decoded."""
        bound = self._bound.get(script)
        if bound is None:
            bound = self._bound[script] = script.bind(self.redis)
        raw = await bound.run_unchecked(keys=keys, args=args)
        reply = orjson.loads(raw)
        if not isinstance(reply, dict) or not isinstance(reply.get("added"), dict):
            raise TypeError(f"{bound.script.name} must return JSON with an 'added' table")
        self.count({stream: int(n) for stream, n in reply["added"].items()})
        return reply


def _failed(reply: Any) -> bool:
    return isinstance(reply, Exception)


def _flat(fields: Mapping[str, str]) -> list[str]:
    return [part for pair in fields.items() for part in pair]
