"""Publishing score updates once the watermark has closed their interval (domain/watermark
says when and which): after each signal folded in, on a periodic tick, and at the end of a
replay (``everything``). Intervals are released oldest first and each update is published by
a script that checks the sector's last update is still the one read, so replicas may release
at the same time and each update still goes out once, in event-time order per sector.

A late signal (its interval already published) is folded in, logged and counted, and shown
by the sector's update at the end of the next interval released: nothing is dropped, and only
late signals can make updates depend on arrival order.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from radar_runtime import Emitter
from radar_schemas import EventType, Sector, SectorScored

from .domain.model import ScoreParams
from .domain.watermark import Timing, updates_sector, watermark_ms
from .metrics import Trigger
from .scoring import sector_scored
from .state import ScoreStore, time_of


def wall_ms() -> int:
    """Now, wall clock, in ms (for the idle release only; never an event time)."""
    return int(time.time() * 1000)


@dataclass
class Releaser:
    """Publishes the updates of every closed interval to ``stream``."""

    store: ScoreStore
    params: ScoreParams
    stream: str
    timing: Timing = field(default_factory=Timing)
    show: Callable[[SectorScored, Trigger], None] | None = None  # SectorGauges.show, or none

    async def release(self, *, everything: bool = False, trigger: Trigger = "flush") -> int:
        """Publish the updates of every interval the watermark has closed (all of them when
        ``everything``); returns how many were published by this call."""
        marks = await self.store.marks()
        up_to = watermark_ms(
            marks.newest_ms,
            marks.admitted_wall_ms,
            timing=self.timing,
            wall_ms=wall_ms(),
            everything=everything,
        )
        if up_to is None:
            return 0
        published = 0
        for end_ms in await self.store.closed_ends(up_to):
            for sector in await self.store.sectors():
                published += await self.update(sector, end_ms, trigger)
            await self.store.advance(end_ms)
        return published

    async def update(self, sector: Sector, end_ms: int, trigger: Trigger) -> int:
        """Publish the sector's update at the closed interval end ``end_ms`` if it is due
        and not published yet (by this or another replica); 1 if this call published it."""
        last = await self.store.last_update(sector)
        if last is not None and last >= end_ms:
            return 0
        waiting = await self.store.waiting(sector, end_ms)
        if not updates_sector(
            waiting=waiting, last_as_of_ms=last, end_ms=end_ms, refresh_ms=self.timing.refresh_ms
        ):
            return 0
        at = time_of(end_ms)
        newest = await self.store.latest_signal(sector, at)
        if newest is None:
            return 0
        scored = await sector_scored(self.store, sector, at, self.params)
        out = Emitter("scorer", newest, None)
        out.emit(self.stream, EventType.SECTOR_SCORED, scored, occurred_at=at)
        ((_, fields),) = out.outputs
        if not await self.store.publish(sector, last, end_ms, self.stream, fields):
            return 0
        if self.show is not None:
            self.show(scored, trigger)
        return 1
