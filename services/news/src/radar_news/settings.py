"""News ingest settings (``RADAR_`` environment variables)."""

from pathlib import Path

from pydantic import Field

from radar_runtime import RuntimeSettings
from radar_schemas.topology import MANIFESTS

SAMPLES_DIR = Path(__file__).parent / "samples"


class NewsSettings(RuntimeSettings):
    """Where the feeds are listed, how long items are remembered, how fetching behaves."""

    http_port: int = MANIFESTS["news"].port
    feeds_file: Path = Field(
        default=SAMPLES_DIR / "feeds.yaml", description="YAML list of feeds to poll"
    )
    seen_ttl_s: int = Field(
        default=30 * 24 * 3600, ge=60, description="How long an item id is remembered"
    )
    contact: str = Field(
        default="ops@example.invalid", description="Named in the User-Agent for feed owners"
    )
    fetch_timeout_s: float = Field(default=20.0, gt=0, description="Deadline of one request")
    max_feed_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, description="Body size limit")
    min_poll_interval_s: float = Field(
        default=1.0, ge=0.1, description="No feed is polled more often than this"
    )

    @property
    def user_agent(self) -> str:
        return f"Radar/0.1 (+https://example.invalid/radar; contact: {self.contact})"
