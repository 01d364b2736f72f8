"""Alerter settings (``RADAR_`` environment variables)."""

from pathlib import Path

from pydantic import Field

from radar_runtime import RuntimeSettings
from radar_schemas.topology import MANIFESTS

DEFAULT_RULES_FILE = Path(__file__).parent / "rules.yaml"


class AlerterSettings(RuntimeSettings):
    http_port: int = MANIFESTS["alerter"].port
    rules_file: Path = Field(default=DEFAULT_RULES_FILE, description="Alert rules (YAML)")
    score_fire_above: float | None = Field(
        default=None, description="Overrides fire_above of the sector_score_high rule"
    )
    score_resolve_below: float | None = Field(
        default=None, description="Overrides resolve_below of the sector_score_high rule"
    )
    group_flush_interval_s: float = Field(
        default=1.0, gt=0, description="How often held groups are checked against the wall clock"
    )
    allowed_lateness_s: float = Field(
        default=900.0,
        ge=0,
        description="Event time an input may come after newer ones and still be decided in"
        " order: inputs wait until the newest input is this much newer (the watermark)",
    )
    idle_release_s: float = Field(
        default=10.0,
        gt=0,
        description="With no input for this long (wall clock), every waiting input is decided",
    )
