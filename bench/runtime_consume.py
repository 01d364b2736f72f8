"""Consume-loop throughput: the runtime's StreamConsumer against the raw Redis floor.

Both move the same N news events from one stream to another through a consumer group,
100 entries per read. The floor does no work per entry (XREADGROUP, pipelined XADD of the
same fields, one XACK per batch); the runtime decodes and validates every entry, calls a
handler that emits a new envelope, and commits outputs and acks in one script.

    python bench/runtime_consume.py [--messages N] [--rounds R]

Uses REDIS_URL when set, else starts its own redis-server.
Writes bench/results/runtime_consume.json.
"""

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from radar_runtime import (
    EmbeddedRedis,
    Emitter,
    RuntimeMetrics,
    RuntimeSettings,
    StreamConsumer,
    connect,
    ensure_group,
)
from radar_schemas import Envelope, EventType, NewsItemIngested, Streams, encode, new_event
from radar_schemas.ids import new_event_id

RESULTS = Path(__file__).parent / "results"
TEXT = "Token consumption across the company's AI products rose to 2 trillion tokens per day."


async def fill(redis: Any, stream: str, count: int) -> None:
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    for start in range(0, count, 1000):
        async with redis.pipeline(transaction=False) as pipe:
            for i in range(start, min(count, start + 1000)):
                item = NewsItemIngested(
                    item_id=f"n-{i}", source="bench", title=f"Item {i}", text=TEXT, published_at=now
                )
                event = new_event(
                    EventType.NEWS_INGESTED,
                    item,
                    producer="bench",
                    correlation_id=item.item_id,
                    occurred_at=now,
                )
                pipe.xadd(stream, encode(event))
            await pipe.execute()


async def raw_floor(redis: Any, streams: Streams, count: int) -> float:
    await ensure_group(redis, streams.news, "raw")
    started, moved = time.perf_counter(), 0
    while moved < count:
        reply = await redis.xreadgroup("raw", "c", {streams.news: ">"}, count=100, block=1000)
        entries = reply[0][1] if reply else []
        async with redis.pipeline(transaction=False) as pipe:
            for _, fields in entries:
                pipe.xadd(streams.tagged, {**fields, "event_id": new_event_id()})
            pipe.xack(streams.news, "raw", *[entry_id for entry_id, _ in entries])
            await pipe.execute()
        moved += len(entries)
    return count / (time.perf_counter() - started)


async def runtime_loop(redis: Any, url: str, streams: Streams, count: int) -> float:
    settings = RuntimeSettings(
        REDIS_URL=url, stream_prefix=streams.prefix, batch_size=100, consumer_name="bench"
    )

    async def handle(event: Envelope[Any], out: Emitter) -> None:
        out.emit(
            streams.tagged, EventType.NEWS_INGESTED, event.payload, occurred_at=event.occurred_at
        )

    consumer = StreamConsumer(
        redis,
        stream=streams.news,
        group="runtime",
        handler=handle,
        service="bench",
        settings=settings,
        metrics=RuntimeMetrics(),
    )
    started = time.perf_counter()
    task = asyncio.create_task(consumer.run())
    while await redis.xlen(streams.tagged) < count:  # noqa: ASYNC110 - polling Redis, not a local flag
        await asyncio.sleep(0.01)
    rate = count / (time.perf_counter() - started)
    consumer.stop()
    await task
    return rate


async def one_round(url: str, count: int, index: int) -> dict[str, float]:
    redis = connect(url)
    rates = {}
    for name in ("raw", "runtime"):
        streams = Streams(f"bench{os.getpid()}-{index}-{name}")
        await fill(redis, streams.news, count)
        if name == "raw":
            rates[name] = await raw_floor(redis, streams, count)
        else:
            rates[name] = await runtime_loop(redis, url, streams, count)
        await redis.delete(streams.news, streams.tagged, f"{streams.news}:errors:runtime")
    await redis.aclose()
    return rates


async def run(url: str, count: int, rounds: int) -> dict[str, Any]:
    results = [await one_round(url, count, i) for i in range(rounds)]
    raw = [r["raw"] for r in results]
    runtime = [r["runtime"] for r in results]
    ratios = [r["runtime"] / r["raw"] for r in results]
    return {
        "messages": count,
        "rounds": rounds,
        "raw_floor_per_s": statistics.median(raw),
        "runtime_per_s": statistics.median(runtime),
        "ratio_median": statistics.median(ratios),
        "raw_all": raw,
        "runtime_all": runtime,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if os.environ.get("REDIS_URL"):
            report = asyncio.run(run(os.environ["REDIS_URL"], args.messages, args.rounds))
        else:
            with EmbeddedRedis(Path(tmp)) as url:
                report = asyncio.run(run(url, args.messages, args.rounds))
    print(f"{'path':<34}{'messages/s (median)':>22}")
    print(f"{'raw XREADGROUP/XADD/XACK floor':<34}{report['raw_floor_per_s']:>22,.0f}")
    print(f"{'runtime StreamConsumer':<34}{report['runtime_per_s']:>22,.0f}")
    print(f"runtime / floor (median of same-round ratios): {report['ratio_median']:.2f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "runtime_consume.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
