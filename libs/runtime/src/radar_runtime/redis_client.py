"""The Redis client every service uses: retries with backoff and jitter on connection errors.

Stream entries are read as bytes (``read_group``, ``autoclaim``), whatever the client decodes
its other replies as: an entry anyone can XADD must reach the consumer as data, even when it
is not UTF-8, and never as an exception raised inside the client while a batch is read.
"""

from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.client import NEVER_DECODE
from redis.exceptions import ConnectionError, TimeoutError

# An entry as read: its id, and its fields (None when it was deleted while pending).
RawEntry = tuple[str, dict[bytes, bytes] | None]


def connect(url: str, *, retries: int = 8) -> "Redis":
    """A client that decodes responses as text and retries a failed command up to
    ``retries`` times, waiting 0.1 s, 0.2 s, … up to 5 s with full jitter between tries."""
    return Redis.from_url(
        url,
        decode_responses=True,
        retry=Retry(ExponentialWithJitterBackoff(cap=5.0, base=0.1), retries),
        retry_on_error=[ConnectionError, TimeoutError],
        health_check_interval=30,
        socket_keepalive=True,
        # No socket timeout (redis-py 8 defaults to 5 s): with one, redis-py sends each
        # command under asyncio.wait_for, which on Python 3.11 swallows a cancellation that
        # arrives as the send completes (CPython gh-86296), so a task cancelled mid-command
        # runs on: a handler past its time limit, or a batch's claim renewal that never
        # ends. A blocking read longer than 5 s (block_ms) would also time out. Dead
        # connections are found by the keepalive and the health check instead.
        socket_timeout=None,
    )


async def read_group(
    redis: "Redis", stream: str, group: str, consumer: str, *, count: int, block_ms: int
) -> list[RawEntry]:
    """XREADGROUP of new entries (``>``), fields as bytes."""
    reply = await _undecoded(
        redis,
        "XREADGROUP",
        "GROUP",
        group,
        consumer,
        "COUNT",
        count,
        "BLOCK",
        block_ms,
        "STREAMS",
        stream,
        ">",
    )
    return _entries(reply[0][1]) if reply else []


async def autoclaim(
    redis: "Redis",
    stream: str,
    group: str,
    consumer: str,
    *,
    min_idle_ms: int,
    start_id: str,
    count: int,
) -> tuple[str, list[RawEntry]]:
    """XAUTOCLAIM: the id to continue from ("0-0" at the end) and the claimed entries,
    fields as bytes."""
    reply = await _undecoded(
        redis, "XAUTOCLAIM", stream, group, consumer, min_idle_ms, start_id, "COUNT", count
    )
    return reply[0].decode("ascii"), _entries(reply[1])


async def _undecoded(redis: "Redis", *command: Any) -> Any:
    """Run ``command`` and leave its reply as bytes. NEVER_DECODE is redis-py's per-command
    switch (DUMP uses it) for an undecoded reply on a client that decodes all others; the
    reply still goes through the command's usual parsing."""
    return await redis.execute_command(*command, **{NEVER_DECODE: True})  # type: ignore[no-untyped-call]


def _entries(rows: list[tuple[bytes, dict[bytes, bytes] | None]]) -> list[RawEntry]:
    # Entry ids are ASCII digits and a dash: decoding them cannot fail.
    return [(entry_id.decode("ascii"), fields) for entry_id, fields in rows]


async def hmget_lenient(redis: "Redis", key: str, fields: list[str]) -> list[str | None]:
    """HMGET, values decoded leniently (U+FFFD for bytes that are not UTF-8): for text kept
    for diagnosis, where a bad byte must not stop the reader."""
    values: list[bytes | None] = await _undecoded(redis, "HMGET", key, *fields)
    return [None if value is None else value.decode(errors="replace") for value in values]
