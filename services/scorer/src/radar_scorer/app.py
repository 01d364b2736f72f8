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
    Sector,
)

from .domain.contributions import document_contributions, earnings_contributions
from .domain.model import ScoreParams
from .domain.watermark import Timing
from .metrics import LateSignals, SectorGauges
from .release import Releaser, wall_ms
from .settings import ScorerSettings
from .state import ScoreStore

log = structlog.get_logger("radar.scorer")


def company_sectors(reference: ReferenceData, ticker: str) -> tuple[Sector, ...]:
    """The sectors of a listed company, by ticker; none for an unknown ticker."""
    record = reference.by_ticker.get(ticker.upper())
    return record.sectors if record else ()


class Flusher:
    """The periodic release: publishes, through the runtime's publisher (which counts them),
    the updates of every interval the watermark has closed, including those a signal's own
    release left (a failure, a crash) and, once no signal has come for the idle release
    time, the newest intervals of a quiet feed."""

    def __init__(
        self,
        rt: Runtime,
        store: ScoreStore,
        params: ScoreParams,
        gauges: SectorGauges,
        timing: Timing | None = None,
    ) -> None:
        self.releaser = Releaser(
            store, params, rt.streams.scores, timing or Timing(), show=gauges.show
        )

    async def flush(self, *, everything: bool = False) -> int:
        """Publish what is due (everything: close the last intervals too); how many."""
        return await self.releaser.release(everything=everything)


def make_setup(settings: ScorerSettings) -> Setup:
    params, timing = settings.params(), settings.timing()

    async def setup(rt: Runtime) -> None:
        store = ScoreStore(
            rt.redis, settings.stream_prefix, settings.coalesce_interval_s, publisher=rt.publisher
        )
        reference = load_companies()
        gauges = SectorGauges(rt.metrics.registry)
        late = LateSignals(rt.metrics.registry)
        flusher = Flusher(rt, store, params, gauges, timing)

        async def fold(event: Envelope[Any], shares: dict[Sector, Contribution]) -> None:
            for sector, share in sorted(shares.items()):
                folded = await store.fold(sector, share.document_id, share, wall_ms())
                if folded.late:
                    late.count(sector)
                    log.info("late signal", sector=sector.value, id=share.document_id, at=share.at)
            try:
                await flusher.releaser.release(trigger="signal")
            except Exception:  # the signals are kept; the periodic release publishes them
                log.exception("release failed")

        async def on_document(event: Envelope[Any], out: Emitter) -> None:
            doc: DocumentTagged = event.payload
            await fold(event, document_contributions(doc, settings.theme_weights))

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
            await fold(event, shares)

        rt.consume_declared({"on_document": on_document, "on_earnings": on_earnings})
        # A failed release (Redis away) is retried at the next tick: the same updates are due.
        tick_s = min(settings.coalesce_interval_s, settings.idle_release_s)
        rt.every("flush", tick_s, flusher.flush)

    return setup
