"""Issue 16, items 1, 2 and 7, against a real Redis: entries that are not UTF-8 or that claim
an unknown schema version are dead-lettered without stopping the loop, a handler has a time
limit, and the lag gauge follows the stream."""

import asyncio
import base64
from typing import Any

from redis.asyncio import Redis

from radar_runtime import Emitter, Runtime, RuntimeMetrics, ensure_group
from radar_runtime.service import _Host
from radar_schemas import Envelope, Streams, encode

from ..support.messages import news_event, publish_news, read_all, settings_for
from .test_consumer import copy_to_tagged, make_consumer, run_until

NOT_UTF8 = b"\xff\xfe not text"


async def add_not_utf8(redis_url: str, stream: str) -> None:
    """XADD an entry whose data is not UTF-8, as redis-cli can (the text client cannot)."""
    raw = Redis.from_url(redis_url)  # decode_responses=False: sends bytes as they are
    try:
        await raw.xadd(stream, {b"event_type": b"news.ingested", b"data": NOT_UTF8})
    finally:
        await raw.aclose()


async def dead_letters(redis: Redis, streams: Streams) -> list[Any]:
    return [e.payload for e in await read_all(redis, streams.deadletter)]


async def test_entry_that_is_not_utf8_is_dead_lettered_with_its_bytes_and_the_loop_goes_on(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    await publish_news(redis, streams.news, 2)
    await add_not_utf8(redis_url, streams.news)
    good = await publish_news(redis, streams.news, 2, start=2)
    consumer = make_consumer(redis, redis_url, streams, copy_to_tagged(streams))

    async def settled() -> bool:
        return await redis.xlen(streams.tagged) >= 4 and await redis.xlen(streams.deadletter) >= 1

    await run_until(consumer, settled)
    assert [e.correlation_id for e in await read_all(redis, streams.tagged)] == [
        "n-0",
        "n-1",
        *good,
    ]
    (dead,) = await dead_letters(redis, streams)
    assert dead.reason == "invalid" and dead.attempts == 1
    assert "data: not valid UTF-8" in dead.error and "base64" in dead.error
    assert base64.b64decode(dead.original["data"]) == NOT_UTF8
    assert dead.original["event_type"] == "news.ingested"
    assert (await redis.xpending(streams.news, "g"))["pending"] == 0
    assert consumer.metrics.deadlettered.labels("news", "invalid")._value.get() == 1


async def test_reclaimed_entry_that_is_not_utf8_is_dead_lettered(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    """The reclaim loop reads entries left by a consumer that died: it must survive them too."""
    ids = await publish_news(redis, streams.news, 2)
    await add_not_utf8(redis_url, streams.news)
    await ensure_group(redis, streams.news, "g")
    raw = Redis.from_url(redis_url)
    try:  # a consumer that read every entry and died without acknowledging any
        await raw.xreadgroup("g", "dead-one", {streams.news: ">"}, count=10)
    finally:
        await raw.aclose()
    consumer = make_consumer(
        redis, redis_url, streams, copy_to_tagged(streams), consumer_name="alive"
    )

    async def settled() -> bool:
        pending: int = (await redis.xpending(streams.news, "g"))["pending"]
        return pending == 0

    await run_until(consumer, settled)
    assert [e.correlation_id for e in await read_all(redis, streams.tagged)] == ids
    (dead,) = await dead_letters(redis, streams)
    assert dead.reason == "invalid"
    assert base64.b64decode(dead.original["data"]) == NOT_UTF8


async def test_entry_with_an_unknown_schema_version_is_dead_lettered(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    await redis.xadd(streams.news, encode(news_event(0)) | {"schema_version": "99"})  # type: ignore[arg-type]
    good = await publish_news(redis, streams.news, 1, start=1)
    consumer = make_consumer(redis, redis_url, streams, copy_to_tagged(streams))

    async def settled() -> bool:
        return await redis.xlen(streams.tagged) >= 1 and await redis.xlen(streams.deadletter) >= 1

    await run_until(consumer, settled)
    assert [e.correlation_id for e in await read_all(redis, streams.tagged)] == good
    (dead,) = await dead_letters(redis, streams)
    assert dead.reason == "invalid"
    assert "schema_version" in dead.error and "unknown schema version 99" in dead.error


async def test_handler_past_its_time_limit_fails_and_is_dead_lettered_after_max_deliveries(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    never = asyncio.Event()  # never set: the handler would wait forever
    calls: list[str] = []

    async def hang(event: Envelope[Any], out: Emitter) -> None:
        calls.append(event.event_id)
        await never.wait()

    await publish_news(redis, streams.news, 1)
    settings = settings_for(redis_url, streams.prefix, max_deliveries=2)
    metrics = RuntimeMetrics()
    rt = Runtime(name="test", settings=settings, redis=redis, metrics=metrics)
    rt.consume(streams.news, hang, group="g", handler_timeout_s=0.2)
    (consumer,) = rt.consumers

    async def dead_lettered() -> bool:
        return await redis.xlen(streams.deadletter) >= 1

    await run_until(consumer, dead_lettered)
    (dead,) = await dead_letters(redis, streams)
    assert dead.reason == "failed" and dead.attempts == 2
    assert "HandlerTimeout" in dead.error and "0.2 s" in dead.error
    assert len(calls) == 2
    assert metrics.failed.labels("news")._value.get() == 2
    assert (await redis.xpending(streams.news, "g"))["pending"] == 0


def lag_gauge(rt: Runtime) -> float | None:
    return rt.metrics.registry.get_sample_value(
        "radar_consumer_group_lag", {"stream": "news", "group": "g"}
    )


async def test_lag_gauge_follows_the_stream_when_redis_cannot_tell_the_lag(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    """XINFO GROUPS reports no lag after an entry was deleted (as after some restarts); the
    gauge must then be counted, not left at its last value."""
    ids = [await redis.xadd(streams.news, {"k": "v"}) for _ in range(5)]
    await ensure_group(redis, streams.news, "g")
    rt = Runtime(
        name="test",
        settings=settings_for(redis_url, streams.prefix),
        redis=redis,
        metrics=RuntimeMetrics(),
    )
    rt.consume(streams.news, copy_to_tagged(streams), group="g")
    host = _Host(rt, lambda _: asyncio.sleep(0))
    await host._export_group_figures()
    assert lag_gauge(rt) == 5
    await redis.xdel(streams.news, ids[2])
    await host._export_group_figures()
    assert lag_gauge(rt) == 4


async def test_lag_gauge_is_removed_when_the_group_is_gone(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    await publish_news(redis, streams.news, 3)
    await ensure_group(redis, streams.news, "g")
    rt = Runtime(
        name="test",
        settings=settings_for(redis_url, streams.prefix),
        redis=redis,
        metrics=RuntimeMetrics(),
    )
    rt.consume(streams.news, copy_to_tagged(streams), group="g")
    host = _Host(rt, lambda _: asyncio.sleep(0))
    await host._export_group_figures()
    assert lag_gauge(rt) == 3
    await redis.delete(streams.news)  # as after a Redis restart without its data
    await host._export_group_figures()
    assert lag_gauge(rt) is None
