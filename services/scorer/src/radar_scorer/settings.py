"""Scorer settings (``RADAR_`` environment variables)."""

from pydantic import Field

from radar_runtime import RuntimeSettings
from radar_schemas import Theme


class ScorerSettings(RuntimeSettings):
    http_port: int = 9104
    half_life_s: float = Field(default=3 * 24 * 3600, gt=0, description="Score decay half-life")
    theme_weights: dict[Theme, float] = Field(
        default_factory=dict, description="Weight per theme; 1.0 when not given"
    )
