"""The scorer's domain metrics: each sector's latest figures, labelled by sector only, a
count of the updates emitted, by sector and trigger, and of late signals, by sector."""

from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Gauge

from radar_schemas import Sector, SectorScored

Trigger = Literal["signal", "flush"]


class SectorGauges:
    """Gauges set from every SectorScored the scorer emits (its latest event-time figures)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.score = Gauge(
            "radar_sector_score",
            "Sector score at its latest event time",
            ["sector"],
            registry=registry,
        )
        self.attention = Gauge(
            "radar_sector_attention",
            "Decayed count of a sector's signals",
            ["sector"],
            registry=registry,
        )
        self.z = Gauge(
            "radar_sector_z",
            "Sector score against its baseline, in deviations",
            ["sector"],
            registry=registry,
        )
        self.momentum = Gauge(
            "radar_sector_momentum",
            "Change of a sector's score over 24 h",
            ["sector"],
            registry=registry,
        )
        self.updates = Counter(
            "radar_sector_updates",
            "SectorScored updates emitted, by trigger: the release after a signal, or the"
            " periodic one (a quiet feed, the end of a replay)",
            ["sector", "trigger"],
            registry=registry,
        )

    def show(self, scored: SectorScored, trigger: Trigger = "signal") -> None:
        sector = scored.sector.value
        self.updates.labels(sector, trigger).inc()
        self.score.labels(sector).set(scored.score)
        self.attention.labels(sector).set(scored.attention)
        if scored.z is not None:
            self.z.labels(sector).set(scored.z)
        if scored.momentum is not None:
            self.momentum.labels(sector).set(scored.momentum)


class LateSignals:
    """Signals folded in after their interval's update was published (later than the
    allowed lateness): shown by the next update, counted here."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.total = Counter(
            "radar_scorer_late_signals",
            "Signals that came after their interval was published, by sector",
            ["sector"],
            registry=registry,
        )

    def count(self, sector: Sector) -> None:
        self.total.labels(sector.value).inc()
