"""Settings every service shares. Read from the environment (``RADAR_`` prefix) in main() only."""

import socket
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from radar_schemas.streams import DEFAULT_PREFIX, Streams

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


class RuntimeSettings(BaseSettings):
    """Settings of the shared runtime. Services subclass this with their own fields."""

    model_config = SettingsConfigDict(env_prefix="RADAR_", extra="ignore", frozen=True)

    redis_url: SecretStr = Field(
        default=SecretStr(DEFAULT_REDIS_URL),
        validation_alias=AliasChoices("REDIS_URL", "RADAR_REDIS_URL"),
        description="Redis server; the password in it is never logged",
    )
    stream_prefix: str = Field(default=DEFAULT_PREFIX, min_length=1, max_length=64)
    consumer_name: str = Field(
        default_factory=socket.gethostname,
        min_length=1,
        description="Stable per replica: a restarted replica finds its own pending entries",
    )
    batch_size: int = Field(default=100, ge=1, le=1_000, description="Entries per XREADGROUP")
    block_ms: int = Field(default=1_000, ge=10, le=60_000, description="Longest blocking read")
    claim_idle_ms: int = Field(
        default=30_000, ge=50, description="Pending this long without progress: claimable"
    )
    claim_interval_ms: int = Field(default=5_000, ge=10)
    max_deliveries: int = Field(
        default=5, ge=1, le=100, description="Deliveries before an entry is dead-lettered"
    )
    retention_s: int = Field(
        default=7 * 24 * 3600, ge=0, description="Acked entries younger than this are kept"
    )
    handler_timeout_s: float = Field(
        default=60.0, gt=0, description="Past this, an entry's handling counts as failed"
    )
    trim_interval_s: float = Field(default=60.0, gt=0)
    monitor_interval_s: float = Field(default=5.0, gt=0)
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=0, ge=0, le=65_535, description="0 picks a free port")
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["auto", "json", "console"] = "auto"

    @property
    def streams(self) -> Streams:
        return Streams(self.stream_prefix)
