"""Publishing parsed items: exact duplicates dropped, changed items emitted as updates,
new items placed in story chains with their novelty."""

import asyncio
from dataclasses import dataclass
from datetime import datetime

from radar_runtime import Runtime
from radar_schemas import EventType, NewsItemIngested

from .adapters.state import Known, NewsState
from .domain.stories import content_digest, novelty, signature, story_id_for


@dataclass
class Ingest:
    """Decides what each parsed item is and publishes it through the runtime."""

    runtime: Runtime
    state: NewsState
    # One item at a time: two feeds carrying one story must see each other's chain.
    lock: asyncio.Lock

    async def ingest(self, items: list[NewsItemIngested], now: datetime) -> dict[str, int]:
        """Publish what is new or changed; returns counts by kind."""
        counts = {"new": 0, "duplicate": 0, "near_duplicate": 0, "updated": 0}
        async with self.lock:
            for item in items:
                counts[await self._one(item, now)] += 1
        return counts

    async def _one(self, item: NewsItemIngested, now: datetime) -> str:
        digest = content_digest(item)
        known = await self.state.known(item.item_id)
        if known is not None:
            if known.digest == digest:
                return "duplicate"
            revised = item.model_copy(update={"story_id": known.story_id, "novelty": known.novelty})
            await self._publish(revised, EventType.NEWS_UPDATED)
            await self.state.record(
                item.item_id,
                Known(digest, known.story_id, known.novelty),
                None,
                now,
                joins_chain=False,
            )
            return "updated"
        sig = signature(item)
        chain = await self.state.find_chain(sig, now) if sig else None
        story_id = chain.story_id if chain else story_id_for(item.item_id)
        score = novelty(chain.size) if chain else 100
        await self._publish(
            item.model_copy(update={"story_id": story_id, "novelty": score}),
            EventType.NEWS_INGESTED,
        )
        await self.state.record(
            item.item_id, Known(digest, story_id, score), sig, now, joins_chain=True
        )
        return "near_duplicate" if chain else "new"

    async def _publish(self, item: NewsItemIngested, event_type: EventType) -> None:
        emitter = self.runtime.emitter(item.item_id)
        emitter.emit(self.runtime.streams.news, event_type, item, occurred_at=item.published_at)
        await self.runtime.publish(emitter)
