"""Earnings ingest settings (``RADAR_`` environment variables)."""

from pathlib import Path

from pydantic import Field

from radar_runtime import RuntimeSettings

SAMPLES_DIR = Path(__file__).parent / "samples"


class EarningsSettings(RuntimeSettings):
    http_port: int = 9102
    calendar_files: list[Path] = Field(
        default_factory=lambda: [SAMPLES_DIR / "calendar.json"],
        description="Earnings calendars (JSON list of rows, FMP field names)",
    )
    poll_interval_s: float = Field(default=300.0, ge=1.0)
    seen_ttl_s: int = Field(default=90 * 24 * 3600, ge=60)
