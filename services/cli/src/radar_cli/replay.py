"""Publishing files into the input streams through the services' own ingest: feeds and
JSON lines through news ingest (story chains, novelty, de-duplication under the news
service's keys), calendars through earnings ingest (SUE against the kept surprise history).
A replay of an input therefore gives the events a live poll of it gives, but for the
envelope's ids, emit time and ``producer`` (``replay``, so replayed events can be told
apart)."""

import asyncio
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, TypeVar

from redis.asyncio import Redis

from radar_earnings.ingest import ingest_calendar, read_calendar, report_event
from radar_earnings.settings import EarningsSettings
from radar_news.ingest import news_ingest, read_feed
from radar_news.settings import NewsSettings
from radar_runtime import RuntimeMetrics, RuntimeSettings
from radar_runtime.service import Runtime
from radar_schemas import Envelope, EventType, NewsItemIngested, new_event

from .errors import CommandError
from .feeds import configured_feed
from .jsonlines import Skipped, news_from_jsonl

PRODUCER = "replay"


class NotAFeed(ValueError):
    """A file that yields no item, only problems: the first problem."""


def detect_kind(path: Path) -> str:
    head = path.read_bytes()[:2048].lstrip()
    if path.suffix == ".jsonl":
        return "jsonl"
    if head.startswith(b"[") or path.suffix.lower() == ".csv":
        return "calendar"
    return "feed"


def news_items(
    path: Path, kind: str, source: str, now: datetime, skipped: Skipped | None = None
) -> list[NewsItemIngested]:
    """The news items of a feed or JSON lines file; undated ones get ``now``. Lines of a
    JSON lines file that yield nothing are counted in ``skipped``."""
    if kind != "jsonl":
        parsed = read_feed(path.read_bytes(), source, str(path), now, configured_feed(path))
        if parsed.problems and not parsed.items:  # not a feed at all: a bad input
            raise NotAFeed(parsed.problems[0])
        if parsed.problems:  # what the poller logs as "feed parsed with problems"
            print(
                f"radar: {path}: parsed with {len(parsed.problems)} problem(s), the first: "
                f"{parsed.problems[0]}",
                file=sys.stderr,
            )
        return parsed.items
    items, rejected = news_from_jsonl(path, source, now)
    if skipped is not None:
        skipped.lines += rejected.lines
        for reason, numbers in rejected.reasons.items():
            skipped.reasons.setdefault(reason, []).extend(numbers)
    return items


def events_for(
    path: Path, kind: str, source: str, producer: str, skipped: Skipped | None = None
) -> tuple[str, list[tuple[str, Envelope[Any]]]]:
    """The stream and ``(dedupe key, event)`` pairs a file yields, as read, before ingest:
    news without story chains, reports standardized against the file's own rows only."""
    if kind == "calendar":
        reports, problems = read_calendar(path.read_bytes(), path.suffix, source)
        for problem in problems:
            print(f"radar: {path}: {problem}", file=sys.stderr)
        return "earnings", [report_event(producer, r) for r in reports]
    items = news_items(path, kind, source, datetime.now(UTC), skipped)
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


S = TypeVar("S", bound=RuntimeSettings)


class SettingsFor(Protocol):
    """Builds a service's settings from the environment the service itself reads."""

    def __call__(self, cls: type[S]) -> S: ...


@dataclass
class _Services:
    """The services' ingest on the replay's Redis, each with the settings (prefix, how long
    items are remembered) its service reads from the same environment; made when needed."""

    redis: "Redis"
    settings_for: SettingsFor

    @cached_property
    def news(self) -> tuple[Runtime, NewsSettings]:
        settings = self.settings_for(NewsSettings)
        return Runtime(PRODUCER, settings, self.redis, RuntimeMetrics()), settings

    @cached_property
    def earnings(self) -> tuple[Runtime, EarningsSettings]:
        settings = self.settings_for(EarningsSettings)
        return Runtime(PRODUCER, settings, self.redis, RuntimeMetrics()), settings


async def _replay_calendar(services: _Services, path: Path, source: str, force: bool) -> int:
    rt, settings = services.earnings
    raw = await asyncio.to_thread(path.read_bytes)
    result = await ingest_calendar(rt, raw, path.suffix, source, settings.seen_ttl_s, force=force)
    for problem in result.problems:
        print(f"radar: {path}: {problem}", file=sys.stderr)
    print(
        f"{path}: {result.reports} calendar items, {result.published} published to "
        f"{rt.streams.earnings}",
        file=sys.stderr,
    )
    return int(result.published)


async def _replay_news(
    services: _Services,
    path: Path,
    kind: str,
    source: str,
    force: bool,
    skipped: Skipped,
    include_undated: bool,
) -> int:
    rt, settings = services.news
    now = datetime.now(UTC)
    items = news_items(path, kind, source, now, skipped)
    undated = sum(item.published_estimated for item in items)
    if undated and not include_undated:
        items = [item for item in items if not item.published_estimated]
        print(
            f"radar: {path}: {undated} undated items left out: their time is unknown, and"
            " stamped with the time of this replay they would read as today's news"
            " (--undated now publishes them so)",
            file=sys.stderr,
        )
    newest = await _newest_event(services.redis, rt.streams.news)
    ingest = news_ingest(rt, settings.seen_ttl_s)
    counts = await (ingest.ingest_again if force else ingest.ingest)(items, now)
    published = sum(counts.get(k, 0) for k in ("new", "near_duplicate", "updated", "republished"))
    print(
        f"{path}: {len(items)} {kind} items, {published} published to {rt.streams.news} "
        f"({counts['near_duplicate']} joined an earlier story, {counts['updated']} updated, "
        f"{counts['duplicate']} published before)",
        file=sys.stderr,
    )
    older = sum(newest is not None and item.published_at < newest for item in items)
    if older and published:
        print(
            f"radar: {path}: {older} of its items are older than the newest news already in the "
            f"pipeline ({newest:%Y-%m-%d %H:%M}Z): the scorer folds them into the sector "
            "scores as late signals, and no sector alert looks back at them (event cards "
            "still fire); `radar backtest` replays history under a clock of its own and "
            "shows every alert it would have raised",
            file=sys.stderr,
        )
    if undated and include_undated:
        print(
            f"radar: {path}: {undated} undated items: their event time is the time of this "
            f"replay, {now:%Y-%m-%d %H:%M:%S}Z (published_estimated true)",
            file=sys.stderr,
        )
    return published


# How many of the newest stream entries are read for the newest event time (a replay of
# older history may have been appended after newer news).
_NEWEST_OF = 50


async def _newest_event(redis: "Redis", stream: str) -> datetime | None:
    """The newest event time among the stream's last entries (None for an empty stream)."""
    entries: Any = await redis.xrevrange(stream, count=_NEWEST_OF)
    times = []
    for _, fields in entries:
        try:
            at = datetime.fromisoformat(fields["occurred_at"])
        except (KeyError, ValueError, TypeError):
            continue  # an entry of no schema: the consumers dead-letter it
        times.append(at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC))
    return max(times, default=None)


async def replay(
    redis: "Redis",
    settings_for: SettingsFor,
    paths: list[Path],
    kind: str,
    source: str | None,
    force: bool,
    *,
    include_undated: bool = False,
) -> tuple[int, int]:
    """Publish every file through its service's ingest: the exit code (2 when a file was no
    feed, the others being published, else 1 when a line of one was skipped, else 0) and how
    many events were published."""
    services = _Services(redis, settings_for)
    code = published = 0
    for path in paths:
        file_kind = detect_kind(path) if kind == "auto" else kind
        skipped = Skipped()
        try:
            if file_kind == "calendar":
                published += await _replay_calendar(services, path, source or path.stem, force)
            else:
                published += await _replay_news(
                    services, path, file_kind, source or path.stem, force, skipped, include_undated
                )
        except NotAFeed as exc:
            print(f"radar: {path}: not a feed, nothing published from it: {exc}", file=sys.stderr)
            code = 2
            continue
        except (OSError, ValueError, RecursionError) as exc:
            reason = "too deeply nested" if isinstance(exc, RecursionError) else exc
            raise CommandError(f"{path}: not a readable {file_kind} file: {reason}") from None
        if skipped.count():
            print(f"radar: {path}: {skipped.summary()}", file=sys.stderr)
            code = max(code, 1)
    return code, published
