"""Notifier settings (``RADAR_`` environment variables)."""

from pydantic import Field, SecretStr, field_validator, model_validator

from radar_runtime import RuntimeSettings

from .domain.retry import DEFAULT_SCHEDULE_S
from .domain.signing import secret_key


class NotifierSettings(RuntimeSettings):
    """Delivery limits, and endpoints from the environment (a simple path beside
    ``radar webhooks add``: each URL becomes a stored endpoint signed with the one secret)."""

    http_port: int = 9106
    webhook_urls: list[str] = Field(
        default_factory=list, description="JSON list, e.g. RADAR_WEBHOOK_URLS='[\"https://…\"]'"
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="whsec_ + base64 key shared with the receivers"
    )
    webhook_timeout_s: float = Field(default=15.0, gt=0, description="Per attempt, in total")
    webhook_retry_schedule_s: list[float] = Field(
        default_factory=lambda: list(DEFAULT_SCHEDULE_S),
        min_length=1,
        description="Delay before each attempt; the first applies to the first attempt",
    )
    webhook_per_endpoint_limit: int = Field(default=4, ge=1, le=100)
    webhook_max_in_flight: int = Field(default=64, ge=1, le=10_000)
    webhook_breaker_threshold: int = Field(default=5, ge=1)
    webhook_breaker_cooldown_s: float = Field(default=30.0, gt=0)
    webhook_poll_interval_s: float = Field(default=0.2, gt=0, description="Due-delivery checks")
    allow_private_targets: bool = Field(
        default=False, description="Allow loopback and private addresses (local development)"
    )

    @field_validator("webhook_urls")
    @classmethod
    def _http_only(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError("webhook URLs must be http:// or https://")
        return urls

    @field_validator("webhook_retry_schedule_s")
    @classmethod
    def _non_negative(cls, delays: list[float]) -> list[float]:
        if any(d < 0 for d in delays):
            raise ValueError("retry delays must not be negative")
        return delays

    @model_validator(mode="after")
    def _secret_when_urls(self) -> "NotifierSettings":
        if self.webhook_urls and self.webhook_secret is None:
            raise ValueError("RADAR_WEBHOOK_SECRET is required when webhook URLs are configured")
        if self.webhook_secret is not None:
            secret_key(self.webhook_secret.get_secret_value())
        return self
