"""Publishing parsed items, each item id once (remembered in Redis for a TTL)."""

from radar_runtime import Runtime
from radar_schemas import EventType, NewsItemIngested, new_event


async def publish_new(runtime: Runtime, items: list[NewsItemIngested], seen_ttl_s: int) -> int:
    """Publish the items not seen before; returns how many were published."""
    events = [
        (
            f"news:{item.item_id}",
            new_event(
                EventType.NEWS_INGESTED,
                item,
                producer=runtime.name,
                correlation_id=item.item_id,
                occurred_at=item.published_at,
            ),
        )
        for item in items
    ]
    return await runtime.publish_once(runtime.streams.news, events, seen_ttl_s)
