"""Earnings ingest service: polls calendar files, publishes each new report once."""

import asyncio
import json
from datetime import UTC, datetime, time
from functools import partial
from pathlib import Path
from typing import Any

import structlog

from radar_runtime import Runtime, Setup
from radar_schemas import EarningsReported, Envelope, EventType, new_event

from .domain.calendar import parse_calendar
from .settings import EarningsSettings

log = structlog.get_logger("radar.earnings")


def _keyed_event(rt: Runtime, report: EarningsReported) -> tuple[str, Envelope[Any]]:
    occurred = datetime.combine(report.report_date, time(0), tzinfo=UTC)
    event = new_event(
        EventType.EARNINGS_REPORTED,
        report,
        producer=rt.name,
        correlation_id=report.report_id,
        occurred_at=occurred,
    )
    return f"earnings:{report.report_id}", event


async def poll_calendar(settings: EarningsSettings, path: Path, rt: Runtime) -> None:
    while True:
        try:
            rows = json.loads(await asyncio.to_thread(path.read_bytes))
            reports, problems = parse_calendar(rows, source=path.stem)
            for problem in problems:
                log.warning("calendar row skipped", file=str(path), problem=problem)
            events = [_keyed_event(rt, report) for report in reports]
            published = await rt.publish_once(rt.streams.earnings, events, settings.seen_ttl_s)
            log.info("calendar polled", file=str(path), reports=len(reports), published=published)
        except Exception as exc:
            log.warning(
                "calendar poll failed", file=str(path), error=f"{type(exc).__name__}: {exc}"
            )
        if await rt.sleep(settings.poll_interval_s):
            return


def make_setup(settings: EarningsSettings) -> Setup:
    async def setup(rt: Runtime) -> None:
        for path in settings.calendar_files:
            rt.task(f"calendar:{path.name}", partial(poll_calendar, settings, path))

    return setup
