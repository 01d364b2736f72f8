"""News ingest settings (``RADAR_`` environment variables)."""

from pathlib import Path

from pydantic import Field

from radar_runtime import RuntimeSettings

SAMPLES_DIR = Path(__file__).parent / "samples"


class NewsSettings(RuntimeSettings):
    http_port: int = 9101
    feeds_file: Path = Field(
        default=SAMPLES_DIR / "feeds.yaml", description="YAML list of feeds to poll"
    )
    seen_ttl_s: int = Field(
        default=30 * 24 * 3600, ge=60, description="How long an item id is remembered"
    )
    user_agent: str = "Radar/0.1 (+https://example.invalid/radar; contact: ops@example.invalid)"
    fetch_timeout_s: float = Field(default=20.0, gt=0)
