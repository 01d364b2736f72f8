"""Scorer service: tagged documents and earnings reports in, sector scores out."""

from typing import Any

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
from .metrics import SectorGauges
from .scoring import sector_scored
from .settings import ScorerSettings
from .state import ScoreStore


def company_sectors(reference: ReferenceData, ticker: str) -> tuple[Sector, ...]:
    """The sectors of a listed company, by ticker; none for an unknown ticker."""
    record = reference.by_ticker.get(ticker.upper())
    return record.sectors if record else ()


def make_setup(settings: ScorerSettings) -> Setup:
    params = settings.params()

    async def setup(rt: Runtime) -> None:
        store = ScoreStore(rt.redis, settings.stream_prefix, settings.coalesce_interval_s)
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
            )
            await fold(event, shares, out)

        rt.consume(rt.streams.tagged, on_document)
        rt.consume(rt.streams.earnings, on_earnings)

    return setup
