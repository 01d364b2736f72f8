"""Publishing parsed items: exact duplicates dropped, changed items emitted as updates,
new items placed in story chains with their novelty.

A poll is handled in chunks: each chunk's state is read in a few round trips, decided in
memory (an item sees the chains of the items before it, in this chunk and in Redis), then
published together with what records it by one script, so an item is marked seen when it
is published, a crash leaves neither, and an item another replica published meanwhile is
not published again.

The service's feed poller and ``radar replay`` both publish through ``news_ingest`` (and a
replayed feed is read by ``read_feed``, as the poller reads it), so a replay of an input
gets the story chains, novelty and de-duplication a live poll of it gets."""

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from radar_runtime import Runtime
from radar_schemas import EventType, NewsItemIngested

from .adapters.state import ChainState, Known, Member, NewsState, Record
from .domain.feeds import FeedConfig
from .domain.parse import ParsedFeed, parse_document
from .domain.stories import (
    SIMILARITY_THRESHOLD,
    Signature,
    chain_is_live,
    content_digest,
    novelty,
    signatures,
    story_id_for,
)

CHUNK_ITEMS = 500


def news_ingest(runtime: Runtime, seen_ttl_s: int) -> "Ingest":
    """The news service's ingest on ``runtime``'s Redis, under its stream prefix: items are
    remembered ``seen_ttl_s``."""
    state = NewsState(
        runtime.redis, runtime.settings.stream_prefix, seen_ttl_s, publisher=runtime.publisher
    )
    return Ingest(runtime, state)


def read_feed(
    content: bytes,
    source: str,
    location: str,
    now: datetime,
    configured: FeedConfig | None = None,
) -> ParsedFeed:
    """A feed document's items as the poller reads a feed named ``source`` at ``location``
    (its URL or path; links resolve against a URL); undated items get ``now``. A feed the
    feeds file configures for that location lends its credibility and language."""
    feed = FeedConfig(name=source, url=location)
    if configured is not None:
        feed = feed.model_copy(
            update={"credibility": configured.credibility, "language": configured.language}
        )
    return parse_document(content, feed, now)


@dataclass
class _Chunk:
    """What one chunk knows while its items are decided, oldest decision first."""

    known: dict[str, Known]
    bands: dict[str, str]
    members: dict[str, Member]
    chains: dict[str, ChainState]
    writes: list[tuple[NewsItemIngested, EventType, Known, Signature | None, bool]] = field(
        default_factory=list
    )

    def best_story(self, sig: Signature) -> str | None:
        """The story of the most similar earlier item, if similar enough."""
        best: tuple[float, str] | None = None
        for member_id in set(map(self.bands.get, sig.band_keys)):
            member = self.members.get(member_id) if member_id is not None else None
            if member is None:
                continue
            similarity = sig.similarity(member.sig)
            if similarity >= SIMILARITY_THRESHOLD and (best is None or similarity > best[0]):
                best = (similarity, member.story_id)
        return best[1] if best else None


@dataclass
class Ingest:
    """Decides what each parsed item is and publishes it through the runtime."""

    runtime: Runtime
    state: NewsState
    # One poll at a time: two feeds carrying one story must see each other's chain.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def ingest(self, items: list[NewsItemIngested], now: datetime) -> dict[str, int]:
        """Publish what is new or changed; returns counts by kind."""
        async with self.lock:
            return await self.ingest_holding_lock(items, now)

    async def ingest_holding_lock(
        self, items: list[NewsItemIngested], now: datetime
    ) -> dict[str, int]:
        """``ingest`` for a caller that holds ``lock`` already (to parse under it too)."""
        counts = {"new": 0, "duplicate": 0, "near_duplicate": 0, "updated": 0}
        for start in range(0, len(items), CHUNK_ITEMS):
            for kind in await self._chunk(items[start : start + CHUNK_ITEMS], now):
                counts[kind] += 1
        return counts

    async def ingest_again(self, items: list[NewsItemIngested], now: datetime) -> dict[str, int]:
        """``ingest``, except that an item published before and unchanged is published again
        (``republished``) with its recorded story and novelty, and nothing is recorded anew
        for it: ``radar replay --force`` feeding a pipeline once more."""
        async with self.lock:
            known = await self.state.known([i.item_id for i in items])
            again = [
                item.model_copy(update={"story_id": record.story_id, "novelty": record.novelty})
                for item in items
                if (record := known.get(item.item_id)) and record.digest == content_digest(item)
            ]
            repeated = {item.item_id for item in again}
            rest = [item for item in items if item.item_id not in repeated]
            counts = await self.ingest_holding_lock(rest, now)
            emitter = self.runtime.emitter("")
            for item in again:
                emitter.emit(
                    self.runtime.streams.news, EventType.NEWS_INGESTED, item,
                    occurred_at=item.published_at, correlation_id=item.item_id,
                )  # fmt: skip
            await self.runtime.publish(emitter)
        return {**counts, "republished": len(again)}

    async def _chunk(self, items: list[NewsItemIngested], now: datetime) -> list[str]:
        known = await self.state.known([i.item_id for i in items])
        new = [i for i in items if i.item_id not in known]
        sigs = dict(zip((i.item_id for i in new), signatures(new), strict=True))
        chunk = await self._read(known, [s for s in sigs.values() if s is not None], now)
        kinds = [self._decide(chunk, item, sigs.get(item.item_id), now) for item in items]
        await self._write(chunk, now)
        return kinds

    async def _read(self, known: dict[str, Known], sigs: list[Signature], now: datetime) -> _Chunk:
        """The chains the new items may join, in three round trips."""
        bands = await self.state.band_members((k for s in sigs for k in s.band_keys), now)
        members = await self.state.members(bands.values())
        chains = await self.state.chains(m.story_id for m in members.values())
        return _Chunk(known, bands, members, chains)

    def _decide(
        self, chunk: _Chunk, item: NewsItemIngested, sig: Signature | None, now: datetime
    ) -> str:
        digest = content_digest(item)
        known = chunk.known.get(item.item_id)
        if known is not None:
            if known.digest == digest:
                return "duplicate"
            revised = Known(digest, known.story_id, known.novelty)
            chunk.known[item.item_id] = revised
            update = {"story_id": known.story_id, "novelty": known.novelty}
            chunk.writes.append(
                (item.model_copy(update=update), EventType.NEWS_UPDATED, revised, None, False)
            )
            return "updated"
        story = chunk.best_story(sig) if sig else None
        chain = chunk.chains.get(story) if story else None
        if chain is not None and not chain_is_live(chain.last_seen, now):
            chain = None
        story_id = story if story and chain else story_id_for(item.item_id)
        score = novelty(chain.size) if chain else 100
        chunk.chains[story_id] = ChainState((chain.size if chain else 0) + 1, now)
        record = Known(digest, story_id, score)
        chunk.known[item.item_id] = record
        if sig is not None:
            chunk.members[item.item_id] = Member(sig, story_id)
            chunk.bands.update(dict.fromkeys(sig.band_keys, item.item_id))
        published = item.model_copy(update={"story_id": story_id, "novelty": score})
        chunk.writes.append((published, EventType.NEWS_INGESTED, record, sig, True))
        return "near_duplicate" if chain else "new"

    async def _write(self, chunk: _Chunk, now: datetime) -> None:
        """Publish the chunk's items and record them, in one script."""
        if not chunk.writes:
            return
        stream = self.runtime.streams.news
        emitter = self.runtime.emitter("")
        for item, event_type, _, _, _ in chunk.writes:
            emitter.emit(
                stream, event_type, item, occurred_at=item.published_at, correlation_id=item.item_id
            )
        records = [Record(i.item_id, known, sig, joins) for i, _, known, sig, joins in chunk.writes]
        await self.state.publish(stream, [f for _, f in emitter.outputs], records, now)
