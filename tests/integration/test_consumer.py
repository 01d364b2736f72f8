"""The consume loop against a real Redis: per-entry validation, retries, dead letters, claims."""

import asyncio
import io
import json
from collections.abc import Awaitable, Callable
from contextlib import redirect_stderr
from typing import Any

import structlog
from redis.asyncio import Redis

from radar_runtime import Emitter, RuntimeMetrics, StreamConsumer, configure_logging, ensure_group
from radar_schemas import Envelope, EventType, Streams, decode

from ..support.messages import publish_news, read_all, settings_for

Handler = Callable[[Envelope[Any], Emitter], Awaitable[None]]


def make_consumer(
    redis: Redis, redis_url: str, streams: Streams, handler: Handler, **overrides: Any
) -> StreamConsumer:
    settings = settings_for(redis_url, streams.prefix, **overrides)
    return StreamConsumer(
        redis,
        stream=streams.news,
        group="g",
        handler=handler,
        service="test",
        settings=settings,
        metrics=RuntimeMetrics(),
    )


def copy_to_tagged(streams: Streams) -> Handler:
    async def handle(event: Envelope[Any], out: Emitter) -> None:
        out.emit(
            streams.tagged, EventType.NEWS_INGESTED, event.payload, occurred_at=event.occurred_at
        )

    return handle


async def run_until(
    consumer: StreamConsumer, condition: Callable[[], Awaitable[bool]], timeout_s: float = 15.0
) -> None:
    task = asyncio.create_task(consumer.run())
    try:
        async with asyncio.timeout(timeout_s):
            while not await condition():
                await asyncio.sleep(0.05)
    finally:
        consumer.stop()
        await task


async def test_backlog_written_before_first_start_is_processed(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    ids = await publish_news(redis, streams.news, 25)
    consumer = make_consumer(redis, redis_url, streams, copy_to_tagged(streams), batch_size=10)

    async def all_copied() -> bool:
        return await redis.xlen(streams.tagged) >= 25

    await run_until(consumer, all_copied)
    out = await read_all(redis, streams.tagged)
    assert [e.correlation_id for e in out] == ids
    assert all(e.causation_id for e in out)
    assert (await redis.xpending(streams.news, "g"))["pending"] == 0


async def test_poison_message_is_dead_lettered_after_max_tries_while_others_flow(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    await publish_news(redis, streams.news, 10)
    attempts: list[str] = []
    inner = copy_to_tagged(streams)

    async def handle(event: Envelope[Any], out: Emitter) -> None:
        if event.correlation_id == "n-3":
            attempts.append(event.event_id)
            raise RuntimeError("cannot digest item 3")
        await inner(event, out)

    consumer = make_consumer(redis, redis_url, streams, handle, max_deliveries=3)

    async def dead_lettered() -> bool:
        return await redis.xlen(streams.deadletter) >= 1

    await run_until(consumer, dead_lettered)
    assert len(attempts) == 3
    assert sorted(e.correlation_id for e in await read_all(redis, streams.tagged)) == sorted(
        f"n-{i}" for i in range(10) if i != 3
    )
    (dead,) = await read_all(redis, streams.deadletter)
    record = dead.payload
    assert record.reason == "failed" and record.attempts == 3
    assert "RuntimeError: cannot digest item 3" in record.error
    assert decode(record.original).correlation_id == "n-3"
    assert dead.correlation_id == "n-3"
    assert (await redis.xpending(streams.news, "g"))["pending"] == 0
    assert not await redis.exists(f"{streams.news}:errors:g")


async def test_invalid_entries_are_dead_lettered_at_once_without_blocking_the_batch(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    await publish_news(redis, streams.news, 2)
    await redis.xadd(streams.news, {"event_type": "news.ingested", "data": "{not json"})
    await redis.xadd(streams.news, {"hello": "world"})
    good = await publish_news(redis, streams.news, 2, start=2)
    consumer = make_consumer(redis, redis_url, streams, copy_to_tagged(streams), batch_size=100)

    async def settled() -> bool:
        return await redis.xlen(streams.tagged) >= 4 and await redis.xlen(streams.deadletter) >= 2

    await run_until(consumer, settled)
    assert [e.correlation_id for e in await read_all(redis, streams.tagged)] == [
        "n-0",
        "n-1",
        *good,
    ]
    dead = [e.payload for e in await read_all(redis, streams.deadletter)]
    assert [d.reason for d in dead] == ["invalid", "invalid"]
    assert dead[1].original == {"hello": "world"}
    assert "event_type: unknown event type None" in dead[1].error
    assert dead[0].attempts == 1


async def test_entries_left_by_a_dead_consumer_are_claimed(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    ids = await publish_news(redis, streams.news, 5)
    await ensure_group(redis, streams.news, "g")
    # A consumer that read the entries and died without acknowledging them.
    await redis.xreadgroup("g", "dead-one", {streams.news: ">"}, count=5)
    consumer = make_consumer(
        redis, redis_url, streams, copy_to_tagged(streams), consumer_name="alive"
    )

    async def copied() -> bool:
        return await redis.xlen(streams.tagged) >= 5

    await run_until(consumer, copied)
    assert [e.correlation_id for e in await read_all(redis, streams.tagged)] == ids
    assert consumer.metrics.claimed.labels("news")._value.get() == 5


async def test_lost_group_is_recreated_and_new_entries_flow(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    consumer = make_consumer(redis, redis_url, streams, copy_to_tagged(streams))
    task = asyncio.create_task(consumer.run())
    await publish_news(redis, streams.news, 1)
    async with asyncio.timeout(10):
        while await redis.xlen(streams.tagged) < 1:
            await asyncio.sleep(0.05)
    await redis.delete(streams.news)  # as after a Redis restart without persistence
    await publish_news(redis, streams.news, 1, start=1)
    async with asyncio.timeout(10):
        while await redis.xlen(streams.tagged) < 2:
            await asyncio.sleep(0.05)
    consumer.stop()
    await task
    assert [e.correlation_id for e in await read_all(redis, streams.tagged)] == ["n-0", "n-1"]


async def test_outputs_and_ack_commit_together(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    """If the commit fails (here: the output stream key holds a string), nothing is acked and
    no output is written; once the obstacle is gone the entry goes through exactly once."""
    await publish_news(redis, streams.news, 1)
    await redis.set(streams.tagged, "not a stream")
    consumer = make_consumer(redis, redis_url, streams, copy_to_tagged(streams))
    task = asyncio.create_task(consumer.run())
    async with asyncio.timeout(10):
        while consumer.metrics.commit_errors.labels("news")._value.get() < 1:
            await asyncio.sleep(0.05)
    assert (await redis.xpending(streams.news, "g"))["pending"] == 1
    await redis.delete(streams.tagged)
    async with asyncio.timeout(10):
        while (await redis.xpending(streams.news, "g"))["pending"]:
            await asyncio.sleep(0.05)
    consumer.stop()
    await task
    assert [e.correlation_id for e in await read_all(redis, streams.tagged)] == ["n-0"]


async def test_dead_letter_record_is_readable_json(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    await redis.xadd(streams.news, {"event_type": "alert.raised", "data": "[]"})
    consumer = make_consumer(redis, redis_url, streams, copy_to_tagged(streams))

    async def dead() -> bool:
        return await redis.xlen(streams.deadletter) >= 1

    await run_until(consumer, dead)
    ((_, fields),) = await redis.xrange(streams.deadletter)
    body = json.loads(fields["data"])
    assert body["reason"] == "invalid" and body["stream"] == streams.news
    assert "payload" in body["error"]


async def test_log_lines_written_while_handling_an_entry_name_it(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    output = io.StringIO()
    with redirect_stderr(output):
        configure_logging("info", "json")
    logger = structlog.get_logger("test.handler")
    handled: list[str] = []

    async def handle(event: Envelope[Any], out: Emitter) -> None:
        logger.info("handling")
        handled.append(event.event_id)

    ids = await publish_news(redis, streams.news, 3)
    consumer = make_consumer(redis, redis_url, streams, handle)

    async def all_handled() -> bool:
        return len(handled) == 3

    try:
        await run_until(consumer, all_handled)
        logger.info("after")
    finally:
        configure_logging("info", "json")  # to stderr again, for the tests after this one
    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    during = [line for line in lines if line["event"] == "handling"]
    assert [line["correlation_id"] for line in during] == ids
    assert [line["event_id"] for line in during] == handled
    assert {line["stream"] for line in during} == {"news"}
    (after,) = [line for line in lines if line["event"] == "after"]
    assert "correlation_id" not in after and "event_id" not in after
