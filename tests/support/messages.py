"""Building and publishing test messages."""

from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis

from radar_runtime import RuntimeSettings
from radar_schemas import EventType, NewsItemIngested, decode, encode, new_event

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def news_event(index: int, *, title: str | None = None, text: str = "") -> Any:
    item = NewsItemIngested(
        item_id=f"n-{index}",
        source="test",
        title=title or f"Item {index}",
        text=text,
        published_at=T0 + timedelta(minutes=index),
    )
    return new_event(
        EventType.NEWS_INGESTED,
        item,
        producer="test",
        correlation_id=item.item_id,
        occurred_at=item.published_at,
    )


async def publish_news(redis: Redis, stream: str, count: int, start: int = 0) -> list[str]:
    """XADD ``count`` news events; returns their correlation ids in order."""
    async with redis.pipeline(transaction=False) as pipe:
        for index in range(start, start + count):
            pipe.xadd(stream, encode(news_event(index)))  # type: ignore[arg-type]
        await pipe.execute()
    return [f"n-{i}" for i in range(start, start + count)]


async def read_all(redis: Redis, stream: str) -> list[Any]:
    """Every entry of a stream, decoded."""
    return [decode(fields) for _, fields in await redis.xrange(stream)]


def settings_for(redis_url: str, prefix: str, **overrides: Any) -> RuntimeSettings:
    values: dict[str, Any] = {
        "REDIS_URL": redis_url,
        "stream_prefix": prefix,
        "consumer_name": "c1",
        "block_ms": 100,
        "claim_idle_ms": 300,
        "claim_interval_ms": 100,
        "max_deliveries": 3,
    }
    values.update(overrides)
    return RuntimeSettings(**values)
