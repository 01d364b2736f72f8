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

from radar_runtime.commit import script_arg

from ..domain.stories import CHAIN_WINDOW_S, NUM_PERM, SCHEME, Signature

# HMGET of the same fields (ARGV) from many hashes (KEYS), in one command.
_HMGET = """
local rows = {}
for i, key in ipairs(KEYS) do rows[i] = redis.call('HMGET', key, unpack(ARGV)) end
return rows
"""

# The item each band key (ARGV[1], JSON) points at: in the newer window (KEYS[2]), else the
# older (KEYS[1]), else false; as JSON, so thousands of keys cost one argument.
_BANDS = """
local keys = cjson.decode(ARGV[1])
local found = {}
for i = 1, #keys, 1000 do
  local part = {unpack(keys, i, math.min(i + 999, #keys))}
  local older = redis.call('HMGET', KEYS[1], unpack(part))
  local newer = redis.call('HMGET', KEYS[2], unpack(part))
  for j = 1, #part do found[#found + 1] = newer[j] or older[j] end
end
return cjson.encode(found)
"""

# KEYS: 1 the news stream, 2 the current bands hash. ARGV: 1 key base ("{prefix}:news:"),
# 2 seen ttl, 3 chain window, 4 now, then JSON: 5 entries [[field, value, …], …], 6 their
# items, in the same order [[id, digest, story, novelty, signature hex, joins chain], …],
# 7 band keys [key, item, key, item, …]. JSON keeps the argument count fixed: packing one
# argument per field costs more than the work itself. An item already recorded with the same
# digest (another replica got there first) is neither published nor counted again. Each
# entry is added before its record, so an error part way publishes an item that the next
# poll publishes again: a duplicate, never a loss. Keys are named under one prefix, so with
# a hash-tag prefix they share a slot. Returns how many entries were added.
_PUBLISH = """
local base, ttl, window, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local entries, items = cjson.decode(ARGV[5]), cjson.decode(ARGV[6])
local added = 0
for i, item in ipairs(items) do
  local key = base .. 'item:' .. item[1]
  if redis.call('HGET', key, 'digest') ~= item[2] then
    redis.call('XADD', KEYS[1], '*', unpack(entries[i]))
    added = added + 1
    if item[5] ~= '' then
      redis.call('HSET', key, 'digest', item[2], 'story', item[3], 'novelty', item[4],
                 'sig', item[5])
    else
      redis.call('HSET', key, 'digest', item[2], 'story', item[3], 'novelty', item[4])
    end
    redis.call('EXPIRE', key, ttl)
    if item[6] == 1 and item[3] ~= '' then
      local story = base .. 'story:' .. item[3]
      redis.call('HINCRBY', story, 'size', 1)
      redis.call('HSET', story, 'last_seen', now)
      redis.call('EXPIRE', story, window)
    end
  end
end
local bands = cjson.decode(ARGV[7])
for i = 1, #bands, 1000 do
  redis.call('HSET', KEYS[2], unpack(bands, i, math.min(i + 999, #bands)))
end
if #bands > 0 then redis.call('EXPIRE', KEYS[2], 2 * window) end
return added
"""


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

    def __init__(self, redis: Any, prefix: str, seen_ttl_s: int) -> None:
        self.redis, self.seen_ttl_s = redis, seen_ttl_s
        self.base = f"{prefix}:news"
        self._publish = redis.register_script(_PUBLISH)
        self._hmget = redis.register_script(_HMGET)
        self._bands_script = redis.register_script(_BANDS)

    def _item(self, item_id: str) -> str:
        return f"{self.base}:item:{item_id}"

    def _story(self, story_id: str) -> str:
        return f"{self.base}:story:{story_id}"

    def _bands(self, now: datetime, windows_back: int = 0) -> str:
        window = int(now.timestamp() // CHAIN_WINDOW_S) - windows_back
        return f"{self.base}:bands:{SCHEME}:{window}"

    async def _hmget_many(self, keys: list[str], *fields: str) -> list[list[Any]]:
        rows: list[list[Any]] = await self._hmget(keys=keys, args=list(fields)) if keys else []
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
        reply = await self._bands_script(
            keys=[self._bands(now, 1), self._bands(now)], args=[script_arg(keys)]
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
        chains extended, band keys set) in one script; returns how many were added (an item
        another replica recorded meanwhile is skipped)."""
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
        added = await self._publish(
            keys=[stream, self._bands(now)],
            args=[
                f"{self.base}:",
                self.seen_ttl_s,
                CHAIN_WINDOW_S,
                str(now.timestamp()),
                script_arg([[p for pair in e.items() for p in pair] for e in entries]),
                script_arg(items),
                script_arg([p for pair in bands.items() for p in pair]),
            ],
        )
        return int(added)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
