"""The earnings service's polling tasks: calendars, the SEC watchlist, earnings texts.

Each reads a source, calls one domain function and publishes through Runtime.publish_once,
so a report or document already published is not published again. Calendars go through
``ingest.ingest_calendar``, the entry point ``radar replay`` shares.
"""

import asyncio
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import httpx
import structlog

from radar_reference import ReferenceData
from radar_runtime import Runtime
from radar_schemas import EarningsReported, EventType, NewsItemIngested, new_event

from .adapters.sec import SecBackingOff, SecClient
from .domain.documents import EarningsText, NotEarnings, read_earnings_text
from .domain.xbrl import parse_companyfacts
from .ingest import Keyed, ingest_calendar, report_event
from .settings import EarningsSettings

log = structlog.get_logger("radar.earnings")


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
    """Read one calendar (JSON or CSV), standardize against the kept history, publish new
    reports."""
    raw = await asyncio.to_thread(path.read_bytes)
    result = await ingest_calendar(rt, raw, path.suffix, path.stem, settings.seen_ttl_s)
    for problem in result.problems:
        log.info("calendar row rejected", file=str(path), problem=problem)
    log.info("calendar polled", file=str(path), reports=result.reports, published=result.published)
    return result.published


def _content_key(report: EarningsReported) -> str:
    # A restatement changes the payload and is published again; an unchanged one is not.
    digest = hashlib.sha256(report.model_dump_json().encode()).hexdigest()[:16]
    return f"earnings:{report.report_id}:{digest}"


# What one CIK's fetch or parse may fail with: an HTTP error or refusal, a body that is not
# JSON, a document that is not companyfacts. None of it stops the other CIKs.
_CIK_FAILURES = (httpx.HTTPError, ValueError, TypeError, KeyError, AttributeError)


async def sec_once(
    settings: EarningsSettings, client: SecClient, companies: ReferenceData, rt: Runtime
) -> int:
    """Fetch each watched CIK's companyfacts and publish its recent reports not seen yet.
    A CIK that fails (404 for a filer without XBRL data, 5xx, bad JSON, not companyfacts)
    is logged and skipped; the others are still polled."""
    published = failed = 0
    for cik in settings.sec_ciks:
        try:
            document = await client.companyfacts(cik)
            if document is None:
                log.info("sec companyfacts unchanged", cik=cik)
                continue
            known = companies.by_cik.get(f"{int(cik):010d}")
            reports, problems = parse_companyfacts(document, known.ticker if known else None)
        except SecBackingOff as exc:  # the rest of the watchlist waits for the next poll
            log.warning("sec polling paused", cik=cik, error=str(exc))
            break
        except _CIK_FAILURES as exc:
            failed += 1
            client.forget(cik)  # a document that failed to parse must not hide behind a 304
            log.warning("sec companyfacts failed", cik=cik, error=_describe(exc))
            continue
        for problem in problems:
            log.warning("sec companyfacts rejected", cik=cik, problem=problem)
        recent = sorted(reports, key=lambda r: r.report_date)[-settings.sec_recent_reports :]
        events = [report_event(rt.name, r, _content_key(r)) for r in recent]
        try:
            published += await rt.publish_once(rt.streams.earnings, events, settings.seen_ttl_s)
        except BaseException:
            client.forget(cik)  # else the next poll's 304 would hide these reports
            raise
    log.info(
        "sec watchlist polled", ciks=len(settings.sec_ciks), failed=failed, published=published
    )
    return published


def _describe(exc: Exception) -> str:
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code} from {exc.request.url}"
    return f"{type(exc).__name__}: {exc}"


async def documents_once(settings: EarningsSettings, companies: ReferenceData, rt: Runtime) -> int:
    """Read the configured earnings texts; publish each new one to the news stream and the
    figures a press release states to the earnings stream. A file that cannot be read is
    logged and skipped. Returns how many were published."""
    documents, reports = [], []
    for path in settings.document_files:
        try:
            raw = await asyncio.to_thread(path.read_text, encoding="utf-8", errors="replace")
        except OSError as exc:  # missing, a directory, unreadable: the other texts still count
            log.warning("earnings text unreadable", file=str(path), error=_describe(exc))
            continue
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
