"""Following the alerts stream: from now, a time or an id; optionally as a consumer group."""

import os
import re
import select
import stat
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from radar_alerter.domain.cards import stamp
from radar_schemas import AlertRaised, Envelope, SchemaError, decode

MAX_BLOCK_MS = 1000

_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})Z?")  # 2026-11-20, 2026-11-20Z


@dataclass(frozen=True)
class TailOptions:
    stream: str
    start: str
    group: str | None = None
    consumer: str = "cli"
    as_json: bool = False
    count: int | None = None
    timeout_s: float | None = None
    where: str = ""  # the Redis read, for a note when its stream does not exist


def start_id(value: str) -> str:
    """``now`` → ``$``; ``beginning`` → ``0``; an ISO time → its millisecond id; an id as is."""
    if value == "now":
        return "$"
    if value == "beginning":
        return "0"
    if value.replace("-", "").isdigit() and value.count("-") <= 1:
        return value
    day = _DAY.fullmatch(value)
    if day:  # a day alone: from its start (UTC)
        start = datetime.fromisoformat(day.group(1)).replace(tzinfo=UTC)
        return f"{int(start.timestamp() * 1000)}-0"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--from: not now, beginning, an ISO time or an id: {value!r}") from None
    if moment.tzinfo is None:
        raise ValueError(f"--from: give a time zone (e.g. {value}Z, or a day alone: {value[:10]})")
    return f"{int(moment.timestamp() * 1000)}-0"


def format_alert(event: Envelope[Any]) -> str:
    """One line: time, status, severity, summary, then the lead document's title with its own
    link (or id), so that a title is never shown beside another document's id."""
    alert: AlertRaised = event.payload
    when = stamp(event.occurred_at, alert.card, seconds=True)
    line = f"{when}  {alert.status.value.upper():<8} {alert.severity.value:<8} {alert.summary}"
    if alert.evidence:
        lead = alert.evidence[0]
        line += f"  — {lead.title}" if lead.title else ""
        return line + f"  {lead.url or '[' + lead.document_id + ']'}"
    return line + f"  [{event.correlation_id}]"


def render(event: Envelope[Any], as_json: bool) -> str:
    return event.model_dump_json() if as_json else format_alert(event)


async def tail(redis: "Redis", options: TailOptions) -> int:
    """Print alerts until count or timeout is reached (or forever). Returns an exit code.
    The caller owns (and closes) the client."""
    seen = 0
    deadline = None if options.timeout_s is None else time.monotonic() + options.timeout_s
    if options.where and not await redis.exists(options.stream):
        # Nothing was ever published here: from another directory than radar up's, the
        # command reads another Redis.
        print(
            f"radar: {options.stream} does not exist yet at {options.where}; waiting for alerts",
            file=sys.stderr,
        )
    if options.group:
        await _create_group(redis, options)
    # "$" is resolved once, so that alerts arriving between two reads are not missed.
    last = await _last_id(redis, options.stream) if options.start == "$" else options.start
    if options.start == "$" and not options.group and last != "0":
        earlier = await redis.xlen(options.stream)
        print(
            f"radar: waiting for new alerts on {options.stream}; {earlier} earlier"
            f" entr{'y' if earlier == 1 else 'ies'} there (--from beginning shows them)",
            file=sys.stderr,
        )
    while options.count is None or seen < options.count:
        remaining_s = None if deadline is None else deadline - time.monotonic()
        if remaining_s is not None and remaining_s <= 0:
            break
        # At most a second per read: a read never outlasts the client's reply timeout.
        block_ms = MAX_BLOCK_MS
        if remaining_s is not None:
            block_ms = max(1, min(MAX_BLOCK_MS, int(remaining_s * 1000)))
        wanted = 100 if options.count is None else options.count - seen
        for entry_id, fields in await _read(redis, options, last, block_ms, wanted):
            last = entry_id
            seen += _print(fields, options.as_json)
            if options.group:
                await redis.xack(options.stream, options.group, entry_id)
        if _reader_gone():  # "| head -1" has what it wanted: stop as a killed tail would
            raise BrokenPipeError("stdout: the reading end of the pipe is closed")
    return 0


def _reader_gone() -> bool:
    """Whether stdout is a pipe whose reader has exited. Waiting for alerts writes nothing,
    so a closed pipe would otherwise not be noticed until the next alert."""
    try:
        fd = sys.stdout.fileno()
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return False
        poller = select.poll()
        poller.register(fd, 0)  # no event asked for: POLLERR and POLLHUP are always told
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no real stdout (a test's capture)
        return False


async def _create_group(redis: "Redis", options: TailOptions) -> None:
    """A new group starts at --from; an existing group resumes where it left off."""
    try:
        await redis.xgroup_create(
            options.stream, options.group or "", id=options.start, mkstream=True
        )
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def _read(
    redis: "Redis", options: TailOptions, last: str, block_ms: int, count: int
) -> list[Any]:
    reply: Any
    if options.group:
        reply = await redis.xreadgroup(
            options.group,
            options.consumer,
            {options.stream: ">"},
            count=min(count, 100),
            block=block_ms,
        )
    else:
        reply = await redis.xread({options.stream: last}, count=min(count, 100), block=block_ms)
    return reply[0][1] if reply else []


async def _last_id(redis: "Redis", stream: str) -> str:
    if not await redis.exists(stream):
        return "0"
    info = await redis.xinfo_stream(stream)
    return str(info["last-generated-id"])


def _print(fields: dict[str, str], as_json: bool) -> int:
    try:
        event = decode(fields)
    except SchemaError as exc:
        print(f"radar: skipping an entry that is not a valid alert: {exc}", file=sys.stderr)
        return 0
    print(render(event, as_json), flush=True)
    return 1
