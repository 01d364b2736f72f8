"""Scorer settings (``RADAR_`` environment variables)."""

from pydantic import Field

from radar_runtime import RuntimeSettings
from radar_schemas import Theme
from radar_schemas.topology import MANIFESTS

from .domain.contributions import UNSTANDARDIZED_FACTOR
from .domain.model import ScoreParams
from .domain.watermark import Timing


class ScorerSettings(RuntimeSettings):
    http_port: int = MANIFESTS["scorer"].port
    half_life_s: float = Field(default=3 * 24 * 3600, gt=0, description="Score decay half-life")
    theme_weights: dict[Theme, float] = Field(
        default_factory=dict, description="Weight per theme; 1.0 when not given"
    )
    coalesce_interval_s: float = Field(
        default=300, gt=0, description="At most one update per sector per this much event time"
    )
    allowed_lateness_s: float = Field(
        default=300.0,
        ge=0,
        description="Event time a signal may come after newer ones and still be in its"
        " interval's update: an interval is published once the newest signal is this much"
        " past its end (the watermark). Keep it, plus the coalescing interval, below the"
        " alerter's allowed lateness, so that updates reach the alerter before it decides",
    )
    idle_release_s: float = Field(
        default=10.0,
        gt=0,
        description="With no new signal for this long (wall clock), every interval is published",
    )
    quiet_refresh_s: float = Field(
        default=3600.0,
        gt=0,
        description="A sector without signals is updated (decayed) when its last update is"
        " this much event time older than an interval other sectors' signals close",
    )
    momentum_window_s: float = Field(default=24 * 3600, gt=0)
    baseline_days: int = Field(default=14, ge=1, le=90)
    baseline_alpha: float = Field(default=0.3, gt=0, le=1)
    baseline_min_std: float = Field(default=0.1, gt=0)
    baseline_min_signals: int = Field(
        default=5, ge=0, description="Signals the baseline needs before z and attention exist"
    )
    baseline_min_days: int = Field(
        default=3, ge=0, description="Distinct days those signals must span"
    )
    top_contributors: int = Field(default=5, ge=1, le=20)
    top_contributor_min_share: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="A top contributor weighs at least this share of the heaviest one "
        "(decayed): older sources neither lead nor confirm a sector's card",
    )
    earnings_weight: float = Field(
        default=0.5, description="Score per unit of standardized surprise"
    )
    earnings_pct_per_unit: float = Field(
        default=10.0, gt=0, description="Surprise % counted as one unit when no SUE is known"
    )
    earnings_cap: float = Field(default=3.0, gt=0, description="Largest |surprise| in units")
    earnings_unstandardized_factor: float = Field(
        default=UNSTANDARDIZED_FACTOR,
        ge=0,
        le=1,
        description="Weight of a surprise % without SUE relative to a SUE (most reports beat)",
    )

    def timing(self) -> Timing:
        """When updates are published (domain/watermark)."""
        return Timing(
            lateness_ms=int(self.allowed_lateness_s * 1000),
            idle_ms=int(self.idle_release_s * 1000),
            refresh_ms=int(self.quiet_refresh_s * 1000),
        )

    def params(self) -> ScoreParams:
        """The score model's parameters."""
        return ScoreParams(
            half_life_s=self.half_life_s,
            momentum_window_s=self.momentum_window_s,
            baseline_days=self.baseline_days,
            baseline_alpha=self.baseline_alpha,
            baseline_min_std=self.baseline_min_std,
            top_n=self.top_contributors,
            top_min_share=self.top_contributor_min_share,
            baseline_min_signals=self.baseline_min_signals,
            baseline_min_days=self.baseline_min_days,
        )
