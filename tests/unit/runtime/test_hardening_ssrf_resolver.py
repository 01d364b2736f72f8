"""The guard's system resolver: a name whose lookup hangs ties up one lookup thread, not one
per attempt, and never the event loop's default executor; a caller that gives up does not
cancel the lookup the others wait for."""

import asyncio
import socket
import threading
from typing import Any

import pytest

from radar_runtime import netguard


async def test_concurrent_lookups_of_one_name_share_one_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release, calls = threading.Event(), []

    def hanging(host: str, *args: Any, **kwargs: Any) -> Any:
        calls.append((host, threading.current_thread().name))
        release.wait(10)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 0))]

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    try:
        for _ in range(4):  # four attempts, each giving up after its timeout
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.05):
                    await netguard.system_resolver("hangs.test")
        waiting = asyncio.create_task(netguard.system_resolver("hangs.test"))
        await asyncio.sleep(0.05)
        assert len(calls) == 1
        assert calls[0][1].startswith("radar-resolve")
    finally:
        release.set()
    assert await waiting == ["93.184.215.14"]
    assert await netguard.system_resolver("hangs.test") == ["93.184.215.14"]
    assert len(calls) == 2  # answers are not cached: the next attempt asks again
