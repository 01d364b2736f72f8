"""Earnings ingest settings (``RADAR_`` environment variables)."""

from pathlib import Path

from pydantic import Field, model_validator

from radar_runtime import RuntimeSettings
from radar_schemas.topology import MANIFESTS

SAMPLES_DIR = Path(__file__).parent / "samples"


class EarningsSettings(RuntimeSettings):
    """Calendars, SEC watchlist and earnings texts to read, and how often."""

    http_port: int = MANIFESTS["earnings"].port
    calendar_files: list[Path] = Field(
        default_factory=lambda: [SAMPLES_DIR / "calendar.json"],
        description="Earnings calendars: a JSON list of rows, or CSV (a .csv file) with a "
        "header row; FMP field names",
    )
    document_files: list[Path] = Field(
        default_factory=list,
        description="Press releases (8-K exhibit 99.1, HTML or text) and call transcripts",
    )
    poll_interval_s: float = Field(default=300.0, ge=1.0)
    seen_ttl_s: int = Field(default=90 * 24 * 3600, ge=60)
    sec_ciks: list[str] = Field(default_factory=list, description="SEC watchlist (CIKs)")
    sec_base_url: str = Field(default="https://data.sec.gov", min_length=1)
    sec_user_agent: str = Field(
        default="",
        description="Declared User-Agent with a contact, e.g. 'Radar ops@example.com' "
        "(required with a watchlist: the SEC refuses undeclared clients)",
    )
    sec_max_requests_per_s: float = Field(default=10.0, gt=0, le=10.0)
    sec_poll_interval_s: float = Field(default=3_600.0, ge=0.05)
    sec_recent_reports: int = Field(
        default=4, ge=1, description="Most recent reports per company published on each poll"
    )
    sec_timeout_s: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _contact_with_watchlist(self) -> "EarningsSettings":
        if self.sec_ciks and "@" not in self.sec_user_agent:
            raise ValueError("RADAR_SEC_USER_AGENT must name a contact e-mail with RADAR_SEC_CIKS")
        for cik in self.sec_ciks:
            if not cik.isdigit() or len(cik) > 10:
                raise ValueError(f"not a CIK: {cik!r}")
        return self
