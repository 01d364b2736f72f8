"""Notifier settings (``RADAR_`` environment variables)."""

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from radar_runtime import RuntimeSettings
from radar_runtime.netguard import InvalidTarget, TargetRefused, TargetSettings, normalise_url
from radar_schemas.topology import MANIFESTS

from .domain.retry import DEFAULT_SCHEDULE_S
from .domain.signing import SecretError, check_secret


class NotifierSettings(RuntimeSettings, TargetSettings):
    """Delivery limits, and endpoints from the environment (a simple path beside
    ``radar webhooks add``: each URL becomes a stored endpoint signed with the one secret).
    What targets may be reached beside public addresses: ``RADAR_ALLOW_PRIVATE_TARGETS``,
    ``RADAR_ALLOWED_TARGET_NETWORKS`` (TargetSettings, shared with every outbound fetch)."""

    # A secret that fails validation must not be printed back in the error.
    model_config = SettingsConfigDict(hide_input_in_errors=True)

    http_port: int = MANIFESTS["notifier"].port
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

    @field_validator("webhook_urls")
    @classmethod
    def _usable(cls, urls: list[str]) -> list[str]:
        """Each URL must normalise; it is kept as written (its endpoint id derives from it)
        and stored normalised."""
        for url in urls:
            try:
                normalise_url(url)
            except InvalidTarget as exc:
                raise ValueError(f"webhook URL: {exc}") from None
        return urls

    @field_validator("webhook_secret")
    @classmethod
    def _strong(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is not None:
            try:
                check_secret(secret.get_secret_value())
            except SecretError as exc:
                raise ValueError(f"RADAR_WEBHOOK_SECRET: {exc}") from None
        return secret

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
        policy = self.target_policy()
        for url in self.webhook_urls:
            try:
                policy.check_url(url)
            except TargetRefused as exc:
                raise ValueError(f"webhook URL refused: {exc}") from None
        return self
