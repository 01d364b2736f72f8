"""The consume loop hands each entry to the handler of its event type, and dead-letters an
entry of a type its group does not read there at once, on the first delivery, counted."""

import asyncio
from typing import Any

from redis.asyncio import Redis

from radar_runtime import Emitter, Runtime, RuntimeMetrics, StreamConsumer, drained
from radar_schemas import DeadLettered, Envelope, EventType, Streams, encode, new_event

from ..support.messages import news_event, read_all, settings_for


async def publish(redis: Redis, stream: str, types: list[EventType]) -> None:
    """News item ``n-<i>`` as an event of ``types[i]`` (one payload type, two event types)."""
    for index, event_type in enumerate(types):
        item = news_event(index).payload
        event = new_event(
            event_type,
            item,
            producer="test",
            correlation_id=item.item_id,
            occurred_at=item.published_at,
        )
        await redis.xadd(stream, encode(event))  # type: ignore[arg-type]


async def run_until_acked(redis: Redis, consumer: StreamConsumer, count: int) -> None:
    task = asyncio.create_task(consumer.run())
    try:
        async with asyncio.timeout(15):
            while not (
                await redis.xlen(consumer.stream) == count and await drained(redis, [consumer])
            ):
                await asyncio.sleep(0.05)
    finally:
        consumer.stop()
        await task


def runtime(redis: Redis, redis_url: str, streams: Streams) -> Runtime:
    return Runtime("test", settings_for(redis_url, streams.prefix), redis, RuntimeMetrics())


async def test_each_event_type_goes_to_its_own_handler(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    rt, handled = runtime(redis, redis_url, streams), []

    async def on_ingested(event: Envelope[Any], out: Emitter) -> None:
        handled.append(("ingested", event.correlation_id))

    async def on_updated(event: Envelope[Any], out: Emitter) -> None:
        handled.append(("updated", event.correlation_id))

    handlers = {EventType.NEWS_INGESTED: on_ingested, EventType.NEWS_UPDATED: on_updated}
    rt.consume(streams.news, handlers, group="g")
    kinds = [EventType.NEWS_INGESTED, EventType.NEWS_UPDATED, EventType.NEWS_INGESTED]
    await publish(redis, streams.news, kinds)
    await run_until_acked(redis, rt.consumers[0], 3)
    assert handled == [("ingested", "n-0"), ("updated", "n-1"), ("ingested", "n-2")]
    assert await redis.xlen(streams.deadletter) == 0


async def test_an_unexpected_event_type_is_dead_lettered_at_once(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    rt, handled = runtime(redis, redis_url, streams), []

    async def on_ingested(event: Envelope[Any], out: Emitter) -> None:
        handled.append(event.correlation_id)

    rt.consume(streams.news, {EventType.NEWS_INGESTED: on_ingested}, group="g")
    (consumer,) = rt.consumers
    kinds = [EventType.NEWS_INGESTED, EventType.NEWS_UPDATED, EventType.NEWS_INGESTED]
    await publish(redis, streams.news, kinds)
    await run_until_acked(redis, consumer, 3)

    assert handled == ["n-0", "n-2"]  # its neighbours flow
    (dead,) = await read_all(redis, streams.deadletter)
    record: DeadLettered = dead.payload
    assert (record.reason, record.attempts, record.group) == ("unexpected", 1, "g")
    assert record.original["event_type"] == "news.updated"
    assert record.error == (
        "unexpected event type news.updated on stream news: group g reads only news.ingested there"
    )
    assert dead.correlation_id == "n-1"
    metrics = consumer.metrics
    assert metrics.deadlettered.labels("news", "unexpected")._value.get() == 1
    assert metrics.failed.labels("news")._value.get() == 0  # never retried
