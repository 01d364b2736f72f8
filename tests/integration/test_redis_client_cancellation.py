"""The services' Redis client lets a cancellation through whenever it lands in a command.

Handler time limits, the renewal of a batch's claim and shutdown all cancel tasks that may be
inside a Redis command; a client that swallowed the cancellation left them running (a batch
that never finished, a test that hung). redis-py 8's default socket timeout did, on Python
3.11, about nine times in ten."""

import asyncio
import random

from radar_runtime.redis_client import connect


async def test_a_task_cancelled_inside_redis_commands_is_always_cancelled(
    redis_url: str, prefix: str
) -> None:
    redis, key = connect(redis_url), f"{prefix}:cancellation-probe"
    rng = random.Random(7)
    ran_on: list[int] = []
    try:
        await redis.set(key, "1")

        async def commands(n: int) -> None:
            while True:
                await redis.get(key)
                if asyncio.current_task().cancelling():  # type: ignore[union-attr]
                    ran_on.append(n)  # a command returned though a cancel was requested
                    return

        for n in range(300):
            task = asyncio.create_task(commands(n))
            await asyncio.sleep(rng.random() * 0.003)  # lands anywhere in a command
            task.cancel()
            await asyncio.wait([task])
            assert task.done()
        assert ran_on == []
        assert await redis.get(key) == "1"  # and the client still answers
    finally:
        await redis.delete(key)
        await redis.aclose()
