"""Consumer-group administration: creation, health figures, safe trimming, stale consumers."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from .scripts import LuaScript

# Counting undelivered entries stops here: a bounded cost for a figure that only needs to
# say "this much or more" when Redis cannot give it (see group_lag).
LAG_COUNT_LIMIT = 10_000
COUNT_AFTER = LuaScript.load(__package__, "count_after.lua")


async def ensure_group(redis: "Redis", stream: str, group: str) -> bool:
    """Create ``group`` on ``stream`` reading from the very first entry (``0``), creating the
    stream if needed, so that a backlog written before the first start is not skipped.
    Returns True when the group was created, False when it already existed."""
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" in str(exc):
            return False
        raise
    return True


@dataclass(frozen=True)
class GroupStats:
    """What XINFO GROUPS says of one group."""

    name: str
    pending: int
    last_delivered_id: str
    lag: int | None  # None when Redis cannot tell (before 7.0, or after a deletion)


async def group_stats(redis: "Redis", stream: str) -> list[GroupStats]:
    try:
        rows: list[dict[str, Any]] = await redis.xinfo_groups(stream)
    except ResponseError:  # no such key
        return []
    return [
        GroupStats(
            name=row["name"],
            pending=int(row["pending"]),
            last_delivered_id=row["last-delivered-id"],
            lag=None if row.get("lag") is None else int(row["lag"]),
        )
        for row in rows
    ]


async def group_lag(redis: "Redis", stream: str, group: GroupStats) -> int:
    """Entries of ``stream`` not yet delivered to ``group``: XINFO's figure when Redis has
    one, else counted after the group's last-delivered id (up to LAG_COUNT_LIMIT). Redis
    has no figure once an entry ahead of the group was deleted (XDEL, some restarts), and
    a lag left at its last value would mislead whatever scales on it."""
    if group.lag is not None:
        return group.lag
    counted = await COUNT_AFTER.bind(redis)(
        keys={"stream": stream},
        args={"after_id": group.last_delivered_id, "limit": LAG_COUNT_LIMIT},
    )
    return int(counted)


async def drained(redis: "Redis", consumers: "Iterable[Any]") -> bool:
    """Whether every consumer's group has read and acknowledged everything in its stream
    (a stream not yet created has nothing to read). The lag is ``group_lag``'s, so that this
    holds on Redis 6.2 too, whose XINFO GROUPS gives none."""
    for consumer in consumers:
        if not await redis.exists(consumer.stream):
            continue
        stats = {s.name: s for s in await group_stats(redis, consumer.stream)}
        mine = stats.get(consumer.group)
        if mine is None or mine.pending or await group_lag(redis, consumer.stream, mine):
            return False
    return True


def _id_tuple(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


async def safe_trim_id(redis: "Redis", stream: str, retention_s: int) -> str | None:
    """The lowest id that must be kept: below it every group has acked and the entries are
    older than the retention. None when nothing may be trimmed (no group reads the stream)."""
    stats = await group_stats(redis, stream)
    if not stats:
        return None
    floor = []
    for group in stats:
        floor.append(_id_tuple(group.last_delivered_id))
        if group.pending:
            summary = await redis.xpending(stream, group.name)
            if summary.get("min"):
                floor.append(_id_tuple(summary["min"]))
    seconds, micros = await redis.time()
    now_ms = int(seconds) * 1000 + int(micros) // 1000
    floor.append((now_ms - retention_s * 1000, 0))
    ms, seq = min(floor)
    return f"{ms}-{seq}" if ms > 0 else None


async def trim_acked(redis: "Redis", stream: str, retention_s: int) -> int:
    """Trim entries every group has acked and that are older than the retention.
    XTRIM MINID removes ids strictly below the given id, so the oldest pending entry stays."""
    min_id = await safe_trim_id(redis, stream, retention_s)
    if min_id is None:
        return 0
    return int(await redis.xtrim(stream, minid=min_id, approximate=False))


async def remove_stale_consumers(
    redis: "Redis", stream: str, group: str, *, keep: str, idle_ms: int
) -> list[str]:
    """Delete consumers of a group that hold nothing and have been idle for ``idle_ms``
    (left behind by restarts under another name). Consumers with pending entries stay:
    their entries are claimed, never dropped."""
    try:
        consumers = await redis.xinfo_consumers(stream, group)
    except ResponseError:
        return []
    removed = []
    for consumer in consumers:
        name = consumer["name"]
        if name != keep and int(consumer["pending"]) == 0 and int(consumer["idle"]) >= idle_ms:
            await redis.xgroup_delconsumer(stream, group, name)
            removed.append(name)
    return removed
