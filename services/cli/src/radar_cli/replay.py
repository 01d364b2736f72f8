"""Publishing files into the input streams: feeds and JSON lines to news, calendars to earnings."""

import json
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis

from radar_earnings.domain.calendar import calendar_rows, parse_calendar
from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import parse_feed
from radar_runtime import RuntimeMetrics, RuntimeSettings
from radar_runtime.service import Runtime
from radar_schemas import Envelope, EventType, NewsItemIngested, encode, new_event

from .errors import CommandError

REPLAY_TTL_S = 30 * 24 * 3600


def detect_kind(path: Path) -> str:
    head = path.read_bytes()[:2048].lstrip()
    if path.suffix == ".jsonl":
        return "jsonl"
    if head.startswith(b"[") or path.suffix.lower() == ".csv":
        return "calendar"
    return "feed"


@dataclass
class Skipped:
    """Lines of a JSON lines file that were not published, by reason."""

    lines: int = 0
    reasons: dict[str, list[int]] = field(default_factory=dict)

    def add(self, reason: str, number: int) -> None:
        self.reasons.setdefault(reason, []).append(number)

    def count(self) -> int:
        return sum(len(numbers) for numbers in self.reasons.values())

    def summary(self) -> str:
        """``skipped 3 of 10 lines (no id: lines 2, 5; not JSON: line 7)``."""
        parts = []
        for reason, numbers in self.reasons.items():
            shown = ", ".join(map(str, numbers[:5])) + (", …" if len(numbers) > 5 else "")
            parts.append(f"{reason}: line{'s' if len(numbers) > 1 else ''} {shown}")
        return f"skipped {self.count()} of {self.lines} lines ({'; '.join(parts)})"


def news_from_jsonl(path: Path, source: str) -> tuple[list[NewsItemIngested], Skipped]:
    """JSON lines with ``id``, ``text`` and optionally ``title``, ``published``, ``source``,
    ``url`` (the dev-set layout). A line without an id or a text, or that is not a JSON
    object, is skipped and counted."""
    items, skipped = [], Skipped()
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        if not raw.strip():
            continue
        skipped.lines += 1
        try:
            row = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            skipped.add("not UTF-8", number)
            continue
        except (ValueError, RecursionError):
            skipped.add("not JSON", number)
            continue
        if not isinstance(row, dict):
            skipped.add("not a JSON object", number)
            continue
        missing = [key for key in ("id", "text") if not str(row.get(key) or "").strip()]
        if missing:
            skipped.add(f"no {' and no '.join(missing)}", number)
            continue
        published, estimated = _published(row.get("published"))
        try:
            items.append(
                NewsItemIngested(
                    item_id=str(row["id"]),
                    source=str(row.get("source") or source)[:128],
                    title=str(row.get("title") or ""),
                    text=str(row["text"]),
                    url=row.get("url"),
                    published_at=published,
                    published_estimated=estimated,
                )
            )
        except ValidationError as exc:
            error = exc.errors()[0]
            skipped.add(f"{'.'.join(map(str, error['loc']))}: {error['msg']}", number)
    return items, skipped


def _published(value: Any) -> tuple[datetime, bool]:
    if isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)), False
    return datetime.now(UTC), True


def events_for(
    path: Path, kind: str, source: str, producer: str, skipped: Skipped | None = None
) -> tuple[str, list[tuple[str, Envelope[Any]]]]:
    """The stream and ``(dedupe key, event)`` pairs a file yields; lines of a JSON lines
    file that yield nothing are counted in ``skipped``."""
    if kind == "calendar":
        reports, problems = parse_calendar(calendar_rows(path.read_bytes(), path.suffix), source)
        for problem in problems:
            print(f"radar: {path}: {problem}", file=sys.stderr)
        return "earnings", [
            (
                f"earnings:{r.report_id}",
                new_event(
                    EventType.EARNINGS_REPORTED,
                    r,
                    producer=producer,
                    correlation_id=r.report_id,
                    occurred_at=datetime.combine(r.report_date, datetime.min.time(), tzinfo=UTC),
                ),
            )
            for r in reports
        ]
    if kind == "jsonl":
        items, rejected = news_from_jsonl(path, source)
        if skipped is not None:
            skipped.lines += rejected.lines
            for reason, numbers in rejected.reasons.items():
                skipped.reasons.setdefault(reason, []).extend(numbers)
    else:
        items = parse_feed(
            path.read_bytes(), FeedConfig(name=source, url=str(path)), datetime.now(UTC)
        )
    return "news", [
        (
            f"news:{i.item_id}",
            new_event(
                EventType.NEWS_INGESTED,
                i,
                producer=producer,
                correlation_id=i.item_id,
                occurred_at=i.published_at,
            ),
        )
        for i in items
    ]


async def replay(
    settings: RuntimeSettings,
    redis: "Redis",
    paths: list[Path],
    kind: str,
    source: str | None,
    force: bool,
) -> int:
    """Publish every file; exit code 1 when a line of one was skipped, else 0."""
    runtime = Runtime(name="replay", settings=settings, redis=redis, metrics=RuntimeMetrics())
    code = 0
    for path in paths:
        file_kind = detect_kind(path) if kind == "auto" else kind
        skipped = Skipped()
        try:
            stream_name, events = events_for(
                path, file_kind, source or path.stem, "replay", skipped
            )
        except (OSError, ValueError, RecursionError) as exc:
            reason = "too deeply nested" if isinstance(exc, RecursionError) else exc
            raise CommandError(f"{path}: not a readable {file_kind} file: {reason}") from None
        if skipped.count():
            print(f"radar: {path}: {skipped.summary()}", file=sys.stderr)
            code = 1
        stream = settings.streams.key(stream_name)
        if force:
            ids = await runtime.publisher.add([(stream, encode(e)) for _, e in events])
            published = len(ids)
        else:
            published = await runtime.publish_once(stream, events, REPLAY_TTL_S)
        print(
            f"{path}: {len(events)} {file_kind} items, {published} published to {stream}",
            file=sys.stderr,
        )
    return code
