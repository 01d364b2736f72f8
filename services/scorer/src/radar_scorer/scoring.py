"""A sector's SectorScored at an event time, read from the signals in Redis."""

from datetime import datetime, timedelta

from radar_schemas import Sector, SectorScored

from .domain.model import ScoreParams, snapshot
from .state import ScoreStore


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


async def sector_scored(
    store: ScoreStore, sector: Sector, at: datetime, params: ScoreParams
) -> SectorScored:
    """Score, z, momentum, attention and the top contributors of ``sector`` at ``at``."""
    since = at - timedelta(seconds=params.horizon_s)
    shot = snapshot(await store.signals(sector, at, since), at, params)
    return SectorScored(
        sector=sector,
        as_of=at,
        score=round(shot.score, 6),
        attention=round(shot.attention, 6),
        z=_round(shot.z),
        momentum=_round(shot.momentum),
        signals=await store.count(sector, at),
        attention_baseline=_round(shot.attention_baseline),
        top_contributors=shot.top,
    )


async def table(store: ScoreStore, at: datetime, params: ScoreParams) -> list[SectorScored]:
    """Every sector with signals, at ``at``."""
    return [await sector_scored(store, s, at, params) for s in await store.sectors()]
