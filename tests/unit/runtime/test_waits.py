"""wait_set: the runtime's one way to wait for an event with a time limit (loops' sleeps,
the supervisor's restart back-off)."""

import asyncio

import pytest

from radar_runtime.waits import wait_set


async def test_it_tells_whether_the_event_was_set() -> None:
    event = asyncio.Event()
    assert await wait_set(event, 0.01) is False
    asyncio.get_running_loop().call_later(0.01, event.set)
    assert await wait_set(event, 5) is True


async def test_a_cancellation_that_lands_as_the_event_is_set_is_kept() -> None:
    """Stop and cancel at once (a shutdown): asyncio.wait_for on Python 3.11 returned
    normally here, and the cancelled loop went on."""
    event = asyncio.Event()
    waiting = asyncio.create_task(wait_set(event, 10))
    await asyncio.sleep(0.01)
    event.set()
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
