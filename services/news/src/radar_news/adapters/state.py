"""What the news service remembers in Redis, so that restarts change nothing: items seen
(content digest, story, novelty, signature; kept ``seen_ttl_s``) and story chains (size and
last activity; LSH band keys pointing at member items). Band keys live in one hash per
chain window (``bands:{MinHash scheme}:{window number}``, kept two windows): an item writes
its 32 keys with one command, and a lookup reads the current and the previous window.

Reads take many items in one round trip; writes are queued on the transaction that publishes
the items, so an item is remembered exactly when it is published."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from radar_runtime import Publisher
from radar_runtime.commit import script_arg
from radar_runtime.scripts import LuaScript

from ..domain.stories import CHAIN_WINDOW_S, NUM_PERM, SCHEME, Signature

HMGET_MANY = LuaScript.load(__package__, "hmget_many.lua")
BAND_MEMBERS = LuaScript.load(__package__, "band_members.lua")
PUBLISH = LuaScript.load(__package__, "publish.lua")


@dataclass(frozen=True)
class Known:
    """An item published before."""

    digest: str
    story_id: str | None
    novelty: int


@dataclass(frozen=True)
class Member:
    """An earlier item a band key points at: its signature and its story."""

    sig: Signature
    story_id: str


@dataclass(frozen=True)
class Record:
    """What is written for one published item."""

    item_id: str
    known: Known
    sig: Signature | None
    joins_chain: bool


@dataclass(frozen=True)
class ChainState:
    """A story chain as stored: how many items it has and when it last grew."""

    size: int
    last_seen: datetime


class NewsState:
    """Seen items and story chains under ``{prefix}:news:``."""

    def __init__(
        self, redis: Any, prefix: str, seen_ttl_s: int, *, publisher: Publisher | None = None
    ) -> None:
        """``publisher``: the service's (its Runtime's), which counts the items published;
        tools that export no metrics leave it out."""
        self.redis, self.seen_ttl_s = redis, seen_ttl_s
        self.base = f"{prefix}:news"
        self.publisher = publisher or Publisher.detached(redis, prefix)
        self._hmget = HMGET_MANY.bind(redis)
        self._band_members = BAND_MEMBERS.bind(redis)

    def _item(self, item_id: str) -> str:
        return f"{self.base}:item:{item_id}"

    def _story(self, story_id: str) -> str:
        return f"{self.base}:story:{story_id}"

    def _bands(self, now: datetime, windows_back: int = 0) -> str:
        window = int(now.timestamp() // CHAIN_WINDOW_S) - windows_back
        return f"{self.base}:bands:{SCHEME}:{window}"

    async def _hmget_many(self, keys: list[str], *fields: str) -> list[list[Any]]:
        if not keys:
            return []
        rows: list[list[Any]] = await self._hmget(
            keys={"hashes": keys}, args={"fields": list(fields)}
        )
        return rows

    async def known(self, item_ids: list[str]) -> dict[str, Known]:
        """The records of the items published before (others are absent)."""
        rows = await self._hmget_many(
            [self._item(i) for i in item_ids], "digest", "story", "novelty"
        )
        return {
            item_id: Known(_text(raw[0]), _text(raw[1]) or None, int(raw[2] or 100))
            for item_id, raw in zip(item_ids, rows, strict=True)
            if raw[0] is not None
        }

    async def band_members(self, band_keys: Iterable[str], now: datetime) -> dict[str, str]:
        """band key → the latest item that carried it within the last window or two."""
        keys = list(dict.fromkeys(band_keys))  # distinct, in order: no sort needed
        if not keys:
            return {}
        reply = await self._band_members(
            keys={"older_bands": self._bands(now, 1), "newer_bands": self._bands(now)},
            args={"band_keys_json": script_arg(keys)},
        )
        values = orjson.loads(reply)
        return {k: v for k, v in zip(keys, values, strict=True) if isinstance(v, str)}

    async def members(self, item_ids: Iterable[str]) -> dict[str, Member]:
        """Signature and story of each item that has both (signature as hex)."""
        ids = sorted(set(item_ids))
        rows = await self._hmget_many([self._item(i) for i in ids], "sig", "story")
        # A signature of another width (an older scheme's) is not comparable: left out.
        return {
            item_id: Member(Signature.from_hex(_text(sig)), _text(story))
            for item_id, (sig, story) in zip(ids, rows, strict=True)
            if sig is not None and story and len(sig) == NUM_PERM * 8
        }

    async def chains(self, story_ids: Iterable[str]) -> dict[str, ChainState]:
        """Size and last activity of each chain still stored."""
        ids = sorted(set(story_ids))
        rows = await self._hmget_many([self._story(s) for s in ids], "size", "last_seen")
        return {
            story_id: ChainState(int(size), datetime.fromtimestamp(float(last), UTC))
            for story_id, (size, last) in zip(ids, rows, strict=True)
            if size is not None and last is not None
        }

    async def publish(
        self, stream: str, entries: list[dict[str, str]], records: list[Record], now: datetime
    ) -> int:
        """Add ``entries`` to ``stream`` and write their ``records`` (one each, in order:
        chains extended, band keys set) in one script, run by the publisher (which counts
        them); returns how many were added (an item another replica recorded meanwhile is
        skipped)."""
        if not entries:
            return 0
        bands: dict[str, str] = {}
        items = []
        for record in records:
            story = record.known.story_id or ""
            sig = record.sig.values.hex() if record.sig is not None else ""
            joins = 1 if record.joins_chain else 0
            items.append(
                [record.item_id, record.known.digest, story, record.known.novelty, sig, joins]
            )
            if record.joins_chain and story and record.sig is not None:
                bands.update(dict.fromkeys(record.sig.band_keys, record.item_id))
        reply = await self.publisher.run(
            PUBLISH,
            keys={"news": stream, "bands": self._bands(now)},
            args={
                "key_base": f"{self.base}:",
                "seen_ttl_s": self.seen_ttl_s,
                "chain_window_s": CHAIN_WINDOW_S,
                "now": str(now.timestamp()),
                "entries_json": script_arg(
                    [[p for pair in e.items() for p in pair] for e in entries]
                ),
                "items_json": script_arg(items),
                "bands_json": script_arg([p for pair in bands.items() for p in pair]),
            },
        )
        return int(reply["added"][stream])


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
