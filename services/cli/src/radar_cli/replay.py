"""Publishing files into the input streams: feeds and JSON lines to news, calendars to earnings."""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from radar_earnings.domain.calendar import calendar_rows, parse_calendar
from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import item_id, parse_feed
from radar_runtime import RuntimeMetrics, RuntimeSettings, connect, publish
from radar_runtime.service import Runtime
from radar_schemas import Envelope, EventType, NewsItemIngested, encode, new_event

REPLAY_TTL_S = 30 * 24 * 3600


def detect_kind(path: Path) -> str:
    head = path.read_bytes()[:2048].lstrip()
    if path.suffix == ".jsonl":
        return "jsonl"
    if head.startswith(b"[") or path.suffix.lower() == ".csv":
        return "calendar"
    return "feed"


def news_from_jsonl(path: Path, source: str) -> list[NewsItemIngested]:
    """JSON lines with ``id``, ``title``, ``text`` and optionally ``published``, ``source``,
    ``url`` (the dev-set layout)."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row: dict[str, Any] = json.loads(line)
        published, estimated = _published(row.get("published"))
        title = str(row.get("title") or "")
        items.append(
            NewsItemIngested(
                item_id=str(row.get("id") or item_id(None, row.get("url"), title, str(number))),
                source=str(row.get("source") or source)[:128],
                title=title,
                text=str(row.get("text") or ""),
                url=row.get("url"),
                published_at=published,
                published_estimated=estimated,
            )
        )
    return items


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
    path: Path, kind: str, source: str, producer: str
) -> tuple[str, list[tuple[str, Envelope[Any]]]]:
    """The stream and ``(dedupe key, event)`` pairs a file yields."""
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
        items = news_from_jsonl(path, source)
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
    settings: RuntimeSettings, paths: list[Path], kind: str, source: str | None, force: bool
) -> int:
    runtime = Runtime(
        name="replay",
        settings=settings,
        redis=connect(settings.redis_url.get_secret_value()),
        metrics=RuntimeMetrics(),
    )
    try:
        for path in paths:
            file_kind = detect_kind(path) if kind == "auto" else kind
            stream_name, events = events_for(path, file_kind, source or path.stem, "replay")
            stream = settings.streams.key(stream_name)
            if force:
                await publish(runtime.redis, [(stream, encode(event)) for _, event in events])
                published = len(events)
            else:
                published = await runtime.publish_once(stream, events, REPLAY_TTL_S)
            print(
                f"{path}: {len(events)} {file_kind} items, {published} published to {stream}",
                file=sys.stderr,
            )
    finally:
        await runtime.redis.aclose()
    return 0
