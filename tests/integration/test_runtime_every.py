"""Runtime.every: periodic steps that survive a failure and end with the service."""

import asyncio

from redis.asyncio import Redis

from radar_runtime import RuntimeMetrics, RuntimeSettings
from radar_runtime.service import Runtime


async def test_a_failing_step_runs_again_and_the_loop_ends_on_stop(
    redis: Redis, prefix: str
) -> None:
    rt = Runtime("t", RuntimeSettings(stream_prefix=prefix), redis, RuntimeMetrics())
    calls: list[int] = []

    async def step() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise ConnectionError("Redis away for a moment")

    rt.every("feed:tick", 0.05, step, at_start=True)
    later: list[int] = []

    async def later_step() -> None:
        later.append(1)

    rt.every("later", 3600, later_step)  # waits its interval first: never runs here
    (_, first), (_, second) = rt.tasks
    loops = [asyncio.create_task(first(rt)), asyncio.create_task(second(rt))]
    async with asyncio.timeout(10):
        while len(calls) < 3:
            await asyncio.sleep(0.01)
    rt.stopping.set()
    async with asyncio.timeout(5):
        await asyncio.gather(*loops)
    assert calls[:3] == [0, 1, 2]  # the failure did not end the loop
    failed = rt.metrics.registry.get_sample_value(
        "radar_periodic_task_errors_total", {"task": "feed"}
    )
    assert failed == 1  # counted, under the task's kind (one label for every feed)
    assert later == []
