"""What the news service remembers in Redis, so that restarts change nothing: items seen
(content digest, story, novelty, signature; kept ``seen_ttl_s``) and story chains (size and
last activity; LSH band keys pointing at member items; kept for the chain window)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..domain.stories import CHAIN_WINDOW_S, SIMILARITY_THRESHOLD, Signature, chain_is_live


@dataclass(frozen=True)
class Known:
    """An item published before."""

    digest: str
    story_id: str | None
    novelty: int


@dataclass(frozen=True)
class Chain:
    """A live story chain a new item joins: its id and how many items it has."""

    story_id: str
    size: int


class NewsState:
    """Seen items and story chains under ``{prefix}:news:``."""

    def __init__(self, redis: Any, prefix: str, seen_ttl_s: int) -> None:
        self.redis, self.seen_ttl_s = redis, seen_ttl_s
        self.base = f"{prefix}:news"

    def _item(self, item_id: str) -> str:
        return f"{self.base}:item:{item_id}"

    def _story(self, story_id: str) -> str:
        return f"{self.base}:story:{story_id}"

    def _band(self, band_key: str) -> str:
        return f"{self.base}:band:{band_key}"

    async def known(self, item_id: str) -> Known | None:
        """The item's record, or None if it was never published (or was forgotten)."""
        raw = await self.redis.hmget(self._item(item_id), "digest", "story", "novelty")
        if raw[0] is None:
            return None
        return Known(_text(raw[0]), _text(raw[1]) or None, int(raw[2] or 100))

    async def find_chain(self, sig: Signature, now: datetime) -> Chain | None:
        """The live chain of the most similar earlier item, if similar enough."""
        members = await self.redis.mget([self._band(k) for k in sig.band_keys()])
        best: tuple[float, str] | None = None
        for member in {_text(m) for m in members if m is not None}:
            stored, story = await self.redis.hmget(self._item(member), "sig", "story")
            if stored is None or story is None:
                continue
            similarity = sig.similarity(Signature(bytes.fromhex(_text(stored))))
            if similarity >= SIMILARITY_THRESHOLD and (best is None or similarity > best[0]):
                best = (similarity, _text(story))
        return await self._live_chain(best[1], now) if best else None

    async def _live_chain(self, story_id: str, now: datetime) -> Chain | None:
        size, last_seen = await self.redis.hmget(self._story(story_id), "size", "last_seen")
        if size is None or last_seen is None:
            return None
        if not chain_is_live(datetime.fromtimestamp(float(last_seen), UTC), now):
            return None
        return Chain(story_id, int(size))

    async def record(
        self,
        item_id: str,
        known: Known,
        sig: Signature | None,
        now: datetime,
        *,
        joins_chain: bool,
    ) -> None:
        """Remember a published item; a new item also extends (or starts) its chain."""
        fields: dict[str, Any] = {
            "digest": known.digest,
            "story": known.story_id or "",
            "novelty": known.novelty,
        }
        if sig is not None:
            fields["sig"] = sig.values.hex()  # the client decodes replies as text
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._item(item_id), mapping=fields)
            pipe.expire(self._item(item_id), self.seen_ttl_s)
            if joins_chain and known.story_id:
                story = self._story(known.story_id)
                pipe.hincrby(story, "size", 1)
                pipe.hset(story, "last_seen", str(now.timestamp()))
                pipe.expire(story, CHAIN_WINDOW_S)
                for band_key in sig.band_keys() if sig else []:
                    pipe.set(self._band(band_key), item_id, ex=CHAIN_WINDOW_S)
            await pipe.execute()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
