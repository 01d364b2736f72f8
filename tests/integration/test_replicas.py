"""Two tagger replicas in one consumer group share the news stream: each entry is tagged
once, by one of them, and both do part of the work (throughput grows with replicas)."""

import asyncio
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from redis.asyncio import Redis

from radar_schemas import Streams

from ..support.messages import publish_news, read_all
from ..support.processes import running, service_env
from .test_processes import scrape


async def test_two_tagger_replicas_share_the_stream(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    env = service_env(redis_url, streams.prefix, RADAR_BATCH_SIZE="10")
    with ExitStack() as stack:
        ports = [
            stack.enter_context(
                running(
                    "radar_tagger", {**env, "RADAR_CONSUMER_NAME": name}, tmp_path / f"{name}.log"
                )
            )[1]
            for name in ("tagger-a", "tagger-b")
        ]
        ids = await publish_news(redis, streams.news, 600)
        async with asyncio.timeout(60):
            while await redis.xlen(streams.tagged) < len(ids):
                await asyncio.sleep(0.1)
        processed = [scrape(port)["radar_messages_processed_total"][("news",)] for port in ports]
    tagged = [event.correlation_id for event in await read_all(redis, streams.tagged)]
    assert Counter(tagged) == Counter(ids)
    assert sum(processed) == len(ids)
    assert min(processed) > 0, f"one replica did all the work: {processed}"
    consumers = {c["name"] for c in await redis.xinfo_consumers(streams.news, "tagger")}
    assert consumers == {"tagger-a", "tagger-b"}
