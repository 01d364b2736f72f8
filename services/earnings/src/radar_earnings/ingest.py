"""Publishing earnings reports: the entry points the service's pollers and ``radar replay``
share, so a report replayed from a file is the event a live poll gives (same event time,
same SUE from the kept surprise history, same de-duplication key).

Imports nothing heavier than the runtime: the command line loads it on every replay."""

from dataclasses import dataclass
from typing import Any

from radar_runtime import Runtime
from radar_schemas import EarningsReported, Envelope, EventType, new_event

from .adapters.history import SurpriseHistory
from .domain.calendar import calendar_rows, parse_calendar, row_tickers, surprises

Keyed = tuple[str, Envelope[Any]]


def report_event(producer: str, report: EarningsReported, key: str | None = None) -> Keyed:
    """The EarningsReported event, at the report's event time, with its dedupe key."""
    event = new_event(
        EventType.EARNINGS_REPORTED,
        report,
        producer=producer,
        correlation_id=report.report_id,
        occurred_at=report.event_time,
    )
    return key or f"earnings:{report.report_id}", event


def read_calendar(raw: bytes, suffix: str, source: str) -> tuple[list[EarningsReported], list[str]]:
    """A calendar file's reports (each standardized against the file's earlier rows only)
    and one line per row that gave none, unpublished; ValueError when it holds no rows."""
    return parse_calendar(calendar_rows(raw, suffix), source=source)


@dataclass(frozen=True)
class CalendarIngested:
    """What one calendar file gave: its reports, how many were published, and one line per
    row that gave no report."""

    reports: int
    published: int
    problems: list[str]


async def ingest_calendar(
    rt: Runtime, raw: bytes, suffix: str, source: str, seen_ttl_s: int, *, force: bool = False
) -> CalendarIngested:
    """Read a calendar file's bytes through the domain, standardize each surprise against
    the company's kept history, publish the reports not published within ``seen_ttl_s``
    (every one with ``force``), then keep their surprises for later SUE. ValueError when the
    file holds no rows at all."""
    rows = calendar_rows(raw, suffix)
    history = SurpriseHistory(rt.redis, rt.settings.stream_prefix)
    known = await history.load(row_tickers(rows))
    reports, problems = parse_calendar(rows, source=source, history=known)
    stream = rt.streams.earnings
    if force:
        emitter = rt.emitter("")
        for report in reports:
            emitter.emit(
                stream, EventType.EARNINGS_REPORTED, report, occurred_at=report.event_time,
                correlation_id=report.report_id,
            )  # fmt: skip
        published = len(await rt.publish(emitter))
    else:
        events = [report_event(rt.name, report) for report in reports]
        published = await rt.publish_once(stream, events, seen_ttl_s)
    await history.record(surprises(reports))  # after publishing: a crash loses no report
    return CalendarIngested(len(reports), published, problems)
