"""Notifier settings (``RADAR_`` environment variables)."""

from pydantic import Field, SecretStr, field_validator, model_validator

from radar_runtime import RuntimeSettings


class NotifierSettings(RuntimeSettings):
    http_port: int = 9106
    webhook_urls: list[str] = Field(
        default_factory=list, description="JSON list, e.g. RADAR_WEBHOOK_URLS='[\"https://…\"]'"
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="whsec_ + base64 key shared with the receivers"
    )
    webhook_timeout_s: float = Field(default=15.0, gt=0)
    allow_private_targets: bool = Field(
        default=False, description="Allow loopback and private addresses (local development)"
    )

    @field_validator("webhook_urls")
    @classmethod
    def _http_only(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"webhook URL must be http(s): {url!r}")
        return urls

    @model_validator(mode="after")
    def _secret_when_urls(self) -> "NotifierSettings":
        if self.webhook_urls and self.webhook_secret is None:
            raise ValueError("RADAR_WEBHOOK_SECRET is required when webhook URLs are configured")
        return self
