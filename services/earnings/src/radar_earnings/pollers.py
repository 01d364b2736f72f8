"""The earnings service's polling tasks: calendars, the SEC watchlist, earnings texts.

Each reads a source, calls one domain function and publishes through Runtime.publish_once,
so a report or document already published is not published again.
"""

import asyncio
import hashlib
import json
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import structlog

from radar_reference import ReferenceData
from radar_runtime import Runtime
from radar_schemas import EarningsReported, Envelope, EventType, NewsItemIngested, new_event

from .adapters.history import SurpriseHistory
from .adapters.sec import SecClient
from .domain.calendar import parse_calendar, surprises
from .domain.documents import EarningsText, NotEarnings, read_earnings_text
from .domain.xbrl import parse_companyfacts
from .settings import EarningsSettings

log = structlog.get_logger("radar.earnings")
Keyed = tuple[str, Envelope[Any]]


def report_event(producer: str, report: EarningsReported, key: str | None = None) -> Keyed:
    """The EarningsReported event, at the filing or report time, with its dedupe key."""
    occurred = report.reported_at or datetime.combine(report.report_date, time(0), tzinfo=UTC)
    event = new_event(
        EventType.EARNINGS_REPORTED,
        report,
        producer=producer,
        correlation_id=report.report_id,
        occurred_at=occurred,
    )
    return key or f"earnings:{report.report_id}", event


def document_event(producer: str, item: NewsItemIngested) -> Keyed:
    """The NewsItemIngested event of an earnings text, keyed by its content-based id."""
    event = new_event(
        EventType.NEWS_INGESTED,
        item,
        producer=producer,
        correlation_id=item.item_id,
        occurred_at=item.published_at,
    )
    return item.item_id, event


async def calendar_once(settings: EarningsSettings, path: Path, rt: Runtime) -> int:
    """Read one calendar, standardize against the kept history, publish new reports."""
    rows = json.loads(await asyncio.to_thread(path.read_bytes))
    tickers = [str(r.get("symbol", "")).upper() for r in rows if isinstance(r, dict)]
    history = SurpriseHistory(rt.redis, settings.stream_prefix)
    reports, problems = parse_calendar(rows, source=path.stem, history=await history.load(tickers))
    for problem in problems:
        log.info("calendar row rejected", file=str(path), problem=problem)
    events = [report_event(rt.name, report) for report in reports]
    published = await rt.publish_once(rt.streams.earnings, events, settings.seen_ttl_s)
    await history.record(surprises(reports))
    log.info("calendar polled", file=str(path), reports=len(reports), published=published)
    return published


def _content_key(report: EarningsReported) -> str:
    # A restatement changes the payload and is published again; an unchanged one is not.
    digest = hashlib.sha256(report.model_dump_json().encode()).hexdigest()[:16]
    return f"earnings:{report.report_id}:{digest}"


async def sec_once(
    settings: EarningsSettings, client: SecClient, companies: ReferenceData, rt: Runtime
) -> int:
    """Fetch each watched CIK's companyfacts and publish its recent reports not seen yet."""
    published = 0
    for cik in settings.sec_ciks:
        document = await client.companyfacts(cik)
        if document is None:
            log.info("sec companyfacts unchanged", cik=cik)
            continue
        known = companies.by_cik.get(f"{int(cik):010d}")
        reports, problems = parse_companyfacts(document, known.ticker if known else None)
        for problem in problems:
            log.warning("sec companyfacts rejected", cik=cik, problem=problem)
        recent = sorted(reports, key=lambda r: r.report_date)[-settings.sec_recent_reports :]
        events = [report_event(rt.name, r, _content_key(r)) for r in recent]
        published += await rt.publish_once(rt.streams.earnings, events, settings.seen_ttl_s)
    log.info("sec watchlist polled", ciks=len(settings.sec_ciks), published=published)
    return published


async def documents_once(settings: EarningsSettings, companies: ReferenceData, rt: Runtime) -> int:
    """Read the configured earnings texts; publish each new one to the news stream and the
    figures a press release states to the earnings stream. Returns how many were published."""
    documents, reports = [], []
    for path in settings.document_files:
        raw = await asyncio.to_thread(path.read_text, encoding="utf-8", errors="replace")
        meta = EarningsText(name=path.name, fetched_at=datetime.now(UTC))
        try:
            outputs = read_earnings_text(raw, meta, companies)
        except NotEarnings as exc:
            log.info("earnings text rejected", file=str(path), reason=str(exc))
            continue
        documents.append(document_event(rt.name, outputs.document))
        if outputs.report is not None:
            reports.append(report_event(rt.name, outputs.report, _content_key(outputs.report)))
    published = await rt.publish_once(rt.streams.news, documents, settings.seen_ttl_s)
    published += await rt.publish_once(rt.streams.earnings, reports, settings.seen_ttl_s)
    log.info("earnings texts read", files=len(settings.document_files), published=published)
    return published
