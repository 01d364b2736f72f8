"""A sector's SectorScored at an event time, read from the signals in Redis."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from radar_schemas import Sector, SectorScored

from .domain.model import ScoreParams, snapshot
from .state import Published, ScoreStore


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


@dataclass(frozen=True)
class Flush:
    """A sector's update that a flush found due: its figures at the watermark, the id of its
    newest signal (the update's correlation id) and the record the decision was read from."""

    scored: SectorScored
    correlation_id: str
    read: Published


async def due_flushes(store: ScoreStore, params: ScoreParams) -> list[Flush]:
    """The updates due at the watermark (the newest event time folded in, any sector): one
    per sector that changed since its last update, or whose last update is at least one
    coalescing interval of event time behind the watermark."""
    watermark = await store.newest()
    if watermark is None:
        return []
    due = []
    for sector in await store.sectors():
        read = await store.published(sector)
        if not read.due(watermark, store.interval):
            continue
        newest = await store.latest_signal(sector, watermark)
        if newest is not None:
            scored = await sector_scored(store, sector, watermark, params)
            due.append(Flush(scored, newest, read))
    return due
