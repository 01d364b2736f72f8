"""Waiting for an event with a time limit, without losing a cancellation."""

import asyncio
from contextlib import suppress


async def wait_set(event: asyncio.Event, seconds: float) -> bool:
    """Wait up to ``seconds`` for ``event``; whether it is set. asyncio.timeout, not
    asyncio.wait_for: on Python 3.11, wait_for swallows a cancellation of the waiting task
    that lands as the event is set (CPython gh-86296), and a loop told to stop by both runs
    on."""
    with suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await event.wait()
    return event.is_set()
