"""Scorer service: tagged documents and earnings reports in, sector scores out."""

from typing import Any

import structlog

from radar_reference import ReferenceData, load_companies
from radar_runtime import Emitter, Runtime, Setup
from radar_schemas import (
    Contribution,
    DocumentTagged,
    EarningsReported,
    Envelope,
    EventType,
    Sector,
)

from .domain.contributions import document_contributions, earnings_contributions
from .domain.model import ScoreParams
from .metrics import SectorGauges
from .scoring import Flush, due_flushes, sector_scored
from .settings import ScorerSettings
from .state import ScoreStore

log = structlog.get_logger("radar.scorer")


def company_sectors(reference: ReferenceData, ticker: str) -> tuple[Sector, ...]:
    """The sectors of a listed company, by ticker; none for an unknown ticker."""
    record = reference.by_ticker.get(ticker.upper())
    return record.sectors if record else ()


class Flusher:
    """The trailing edge of coalescing: once per coalescing interval of wall time, every
    sector that changed since its last update (signals in an interval already published, late
    signals) or whose last update lags the watermark by an interval (a quiet sector, decaying)
    is published at the watermark, the newest event time folded in. Each update is written by
    the script that checks and records the sector's last update, run by the runtime's
    publisher (which counts it), so replicas publish each one once; its correlation id is
    the sector's newest signal, its causation id none."""

    def __init__(
        self, rt: Runtime, store: ScoreStore, params: ScoreParams, gauges: SectorGauges
    ) -> None:
        self.rt, self.store, self.params, self.gauges = rt, store, params, gauges

    async def due(self) -> list[Flush]:
        """The updates due now (read, not yet claimed)."""
        return await due_flushes(self.store, self.params)

    async def publish(self, flushes: list[Flush]) -> int:
        """Publish each update no other one has been recorded for since it was read; returns
        how many were published."""
        stream, published = self.rt.streams.scores, 0
        for flush in flushes:
            out = self.rt.emitter(flush.correlation_id)
            at = flush.scored.as_of
            out.emit(stream, EventType.SECTOR_SCORED, flush.scored, occurred_at=at)
            ((_, fields),) = out.outputs
            if await self.store.publish_flush(flush.scored.sector, flush.read, at, stream, fields):
                published += 1
                self.gauges.show(flush.scored, "flush")
        return published

    async def flush(self) -> int:
        return await self.publish(await self.due())


def make_setup(settings: ScorerSettings) -> Setup:
    params = settings.params()

    async def setup(rt: Runtime) -> None:
        store = ScoreStore(
            rt.redis, settings.stream_prefix, settings.coalesce_interval_s, publisher=rt.publisher
        )
        reference = load_companies()
        gauges = SectorGauges(rt.metrics.registry)

        async def fold(
            event: Envelope[Any], shares: dict[Sector, Contribution], out: Emitter
        ) -> None:
            for sector, share in sorted(shares.items()):
                if await store.fold(sector, share.document_id, event.event_id, share):
                    scored = await sector_scored(store, sector, share.at, params)
                    gauges.show(scored)
                    out.emit(
                        rt.streams.scores, EventType.SECTOR_SCORED, scored, occurred_at=share.at
                    )

        async def on_document(event: Envelope[Any], out: Emitter) -> None:
            doc: DocumentTagged = event.payload
            await fold(event, document_contributions(doc, settings.theme_weights), out)

        async def on_earnings(event: Envelope[Any], out: Emitter) -> None:
            report: EarningsReported = event.payload
            sectors = company_sectors(reference, report.company.ticker)
            shares = earnings_contributions(
                report,
                sectors,
                weight=settings.earnings_weight,
                pct_per_unit=settings.earnings_pct_per_unit,
                cap=settings.earnings_cap,
                unstandardized_factor=settings.earnings_unstandardized_factor,
            )
            await fold(event, shares, out)

        rt.consume_declared({"on_document": on_document, "on_earnings": on_earnings})
        # A failed flush (Redis away) is retried at the next tick: the same updates are due.
        rt.every("flush", store.coalesce_ms / 1000, Flusher(rt, store, params, gauges).flush)

    return setup
