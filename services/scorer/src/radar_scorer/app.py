"""Scorer service: tagged stream in, scores stream out."""

from typing import Any

from radar_runtime import Emitter, Runtime, Setup
from radar_schemas import Contribution, DocumentTagged, Envelope, EventType, SectorScored

from .domain.contributions import sector_deltas
from .settings import ScorerSettings
from .state import ScoreStore


def make_setup(settings: ScorerSettings) -> Setup:
    async def setup(rt: Runtime) -> None:
        store = ScoreStore(rt.redis, settings.stream_prefix, settings.half_life_s)

        async def handle(event: Envelope[Any], out: Emitter) -> None:
            doc: DocumentTagged = event.payload
            for sector, delta in sector_deltas(doc, settings.theme_weights).items():
                state = await store.fold(sector, event.event_id, doc.published_at, delta)
                theme = max(doc.themes, key=lambda t: t.confidence).theme if doc.themes else None
                scored = SectorScored(
                    sector=sector,
                    as_of=state.as_of,
                    score=round(state.score, 6),
                    attention=round(state.attention, 6),
                    signals=state.signals,
                    top_contributors=(
                        Contribution(
                            document_id=doc.document_id,
                            title=doc.title,
                            url=doc.url,
                            theme=theme,
                            delta=round(delta, 6),
                            at=doc.published_at,
                        ),
                    ),
                )
                out.emit(
                    rt.streams.scores, EventType.SECTOR_SCORED, scored, occurred_at=doc.published_at
                )

        rt.consume(rt.streams.tagged, handle)

    return setup
