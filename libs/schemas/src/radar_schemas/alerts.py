"""Alerts."""

from enum import StrEnum

from pydantic import AwareDatetime, Field

from .base import Ident, Label, Message, Text, Title, Url


class AlertStatus(StrEnum):
    FIRING = "firing"
    RESOLVED = "resolved"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class AlertEvidence(Message):
    """A document behind an alert."""

    document_id: Ident
    title: Title
    url: Url | None = None
    quote: Text = ""
    published_at: AwareDatetime | None = None


class AlertRaised(Message):
    """An alert changing state: firing, repeated, or resolved."""

    fingerprint: Ident = Field(description="Stable hash of the rule and its labels")
    rule: Label
    status: AlertStatus
    severity: Severity
    labels: dict[Label, Label]
    summary: Title = Field(description="One line a person can read")
    evidence: tuple[AlertEvidence, ...] = ()
    score: float | None = None
    z: float | None = None
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None
    correlation_ids: tuple[Ident, ...] = Field(
        default=(), description="Ids of the documents that caused the alert"
    )
    momentum: float | None = Field(default=None, description="Score change over 24 h")
    attention: float | None = Field(default=None, description="Decayed count of signals")
    group_key: Title = Field(
        default="",
        description="The rule's group_by labels: alerts sharing it are notified together",
    )
    notification: int = Field(
        default=1, ge=1, description="1 for the first firing notification, 2+ for repeats"
    )
