"""Webhook endpoints: where alerts go, which alerts, in which format, signed with what."""

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from radar_runtime.netguard import InvalidTarget, normalise_url
from radar_schemas import AlertRaised, Severity

from .signing import check_secret

# Validation context of an endpoint read back from the store: what an older version stored
# without today's checks still loads (the sender judges it), so that one old entry cannot
# stop the deliveries to every endpoint.
STORED = {"stored": True}


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


class PayloadFormat(StrEnum):
    """The body an endpoint receives."""

    STANDARD = "standard"
    ALERTMANAGER = "alertmanager"
    SLACK = "slack"


class Endpoint(BaseModel):
    """A registered webhook. ``secrets`` holds the current secret first; after a rotation
    the previous one follows until ``previous_expires_at``, and both sign every message.
    The URL is stored normalised (``radar_runtime.netguard.normalise_url``); secrets are
    Standard Webhooks secrets of at least 24 bytes."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)  # no secret echoed

    endpoint_id: str = Field(min_length=1, max_length=64)
    url: str = Field(min_length=8, max_length=2048)
    secrets: list[str] = Field(min_length=1, max_length=2, repr=False)
    previous_expires_at: AwareDatetime | None = None
    sectors: list[str] = Field(default_factory=list, description="Empty: every sector")
    rules: list[str] = Field(default_factory=list, description="Empty: every rule")
    min_severity: Severity = Severity.INFO
    payload_format: PayloadFormat = PayloadFormat.STANDARD
    disabled_reason: str | None = None
    created_at: AwareDatetime

    @field_validator("url")
    @classmethod
    def _normalised(cls, url: str, info: ValidationInfo) -> str:
        try:
            return normalise_url(url)
        except InvalidTarget as exc:
            if _stored(info):
                return url
            raise ValueError(f"webhook URL: {exc}") from None

    @field_validator("secrets")
    @classmethod
    def _valid_secrets(cls, values: list[str], info: ValidationInfo) -> list[str]:
        if not _stored(info):
            for value in values:
                check_secret(value)
        return values

    @property
    def enabled(self) -> bool:
        return self.disabled_reason is None


def new_endpoint_id() -> str:
    """A short random endpoint id (``ep_`` + 12 hex digits)."""
    return "ep_" + secrets.token_hex(6)


def env_endpoint_id(url: str) -> str:
    """A stable id for an endpoint configured through the environment."""
    return "env_" + hashlib.sha256(url.encode()).hexdigest()[:12]


def signing_secrets(endpoint: Endpoint, now: datetime) -> list[str]:
    """The secrets that sign a message now: the current one, and the previous one while
    its grace period lasts."""
    expires = endpoint.previous_expires_at
    if len(endpoint.secrets) > 1 and expires is not None and now < expires:
        return endpoint.secrets
    return endpoint.secrets[:1]


def rotated(endpoint: Endpoint, new_secret: str, now: datetime, grace_s: float) -> Endpoint:
    """The endpoint with ``new_secret`` current and the old one still signing for ``grace_s``."""
    return endpoint.model_copy(
        update={
            "secrets": [new_secret, endpoint.secrets[0]],
            "previous_expires_at": now + timedelta(seconds=grace_s),
        }
    )


def wants(endpoint: Endpoint, alert: AlertRaised) -> bool:
    """Whether the endpoint subscribed to this alert (sector, rule, minimum severity)."""
    if not endpoint.enabled:
        return False
    if endpoint.sectors and alert.labels.get("sector") not in endpoint.sectors:
        return False
    if endpoint.rules and alert.rule not in endpoint.rules:
        return False
    return SEVERITY_RANK[alert.severity] >= SEVERITY_RANK[endpoint.min_severity]
