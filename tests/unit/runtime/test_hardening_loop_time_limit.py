"""Issue 16, item 7: the per-entry handler time limit, which shares one timer between calls."""

import asyncio

import pytest

from radar_runtime.consumer import HandlerTimeLimit, HandlerTimeout


async def test_a_call_past_its_limit_raises_and_the_next_call_runs_normally() -> None:
    limit = HandlerTimeLimit(0.05)
    never = asyncio.Event()
    with pytest.raises(HandlerTimeout, match=r"time limit of 0\.05 s"):
        await limit.run(never.wait())
    done = asyncio.Event()
    done.set()
    await limit.run(done.wait())
    task = asyncio.current_task()
    assert task is not None and task.cancelling() == 0  # no cancellation left behind


async def test_a_call_that_swallows_its_cancellation_leaves_none_behind() -> None:
    limit = HandlerTimeLimit(0.05)
    swallowed: list[bool] = []

    async def stubborn() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            swallowed.append(True)

    await limit.run(stubborn())
    task = asyncio.current_task()
    assert swallowed == [True]
    assert task is not None and task.cancelling() == 0


async def test_a_call_cancelled_from_elsewhere_stays_cancelled() -> None:
    limit = HandlerTimeLimit(60)
    started = asyncio.Event()

    async def wait_forever() -> None:
        started.set()
        await asyncio.Event().wait()

    task = asyncio.create_task(limit.run(wait_forever()))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
