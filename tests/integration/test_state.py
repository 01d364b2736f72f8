"""Redis-held state: trimming (score and alert state have test files of their own)."""

from redis.asyncio import Redis

from radar_runtime import ensure_group, trim_acked
from radar_schemas import Streams

from ..support.messages import publish_news


async def test_trim_keeps_unacked_and_recent_entries(redis: Redis, streams: Streams) -> None:
    await ensure_group(redis, streams.news, "slow")
    await ensure_group(redis, streams.news, "fast")
    await publish_news(redis, streams.news, 10)
    await redis.xreadgroup("fast", "c", {streams.news: ">"}, count=10)
    await redis.xack(streams.news, "fast", *[i for i, _ in await redis.xrange(streams.news)])
    read = await redis.xreadgroup("slow", "c", {streams.news: ">"}, count=4)
    await redis.xack(streams.news, "slow", *[i for i, _ in read[0][1][:2]])
    assert await trim_acked(redis, streams.news, retention_s=0) == 2  # slow holds entry 3 pending
    assert await redis.xlen(streams.news) == 8
    assert await trim_acked(redis, streams.news, retention_s=3600) == 0  # all younger than 1 h
