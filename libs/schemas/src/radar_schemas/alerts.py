"""Alerts."""

from enum import StrEnum

from pydantic import AwareDatetime, Field

from .base import Ident, Label, Message, Text, Title, Url
from .taxonomy import Polarity, Sector, Theme


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


class CardCompany(Message):
    """A company an event is about."""

    entity_id: Label = Field(description="Ticker, or a lower-case id for private companies")
    name: Title
    ticker: Label | None = Field(default=None, description="Exchange ticker, when listed")


class CardFigure(Message):
    """A figure a source states. Signed: a cut, decline, loss or miss is negative."""

    kind: Label = Field(description="revenue, growth, eps, price_target, token_volume, ...")
    value: float
    unit: Label = Field(description="ISO currency, percent, tokens, ...")
    period: Label | None = Field(default=None, description="quarter, year, month, day, ...")
    prior: float | None = Field(default=None, description="The earlier value it compares with")
    estimate: float | None = Field(default=None, description="The consensus it is set against")
    company: Label | None = Field(default=None, description="Entity id the figure belongs to")
    guidance: bool = Field(default=False, description="A forecast or outlook, not a result")
    consensus: bool = Field(
        default=False,
        description="Analysts' estimate or consensus, stated with no result set against it",
    )
    about: Label | None = Field(
        default=None,
        description="What a change, a part of a whole, an amount or a count measures, in the "
        "text's words",
    )
    text: Title = Field(default="", description="The figure in words")
    document_id: Ident | None = Field(default=None, description="The source that states it")


class CardSource(Message):
    """One source document of an event."""

    document_id: Ident
    title: Title
    url: Url | None = None
    source: Label | None = Field(default=None, description="Feed or publisher")
    published_at: AwareDatetime | None = None
    day_only: bool = Field(
        default=False,
        description="True when the source gave a date without a time: published_at is that "
        "day's 00:00 UTC",
    )
    story_id: Ident | None = Field(default=None, description="The news service's story chain")
    quote: Text = Field(default="", description="The evidence sentence in this source")


class EventCard(Message):
    """One real-world event as a person reads it: who, what, which way, how much, where it
    was reported, why it matters now. Updated as sources arrive (the alert keeps its
    fingerprint)."""

    key: Title = Field(description="What the sources were grouped by: a story or a subject")
    headline: Title = ""
    polarity: Polarity = Field(description="Direction of the event for AI monetization")
    theme: Theme | None = None
    sectors: tuple[Sector, ...] = ()
    companies: tuple[CardCompany, ...] = ()
    figures: tuple[CardFigure, ...] = ()
    sources: tuple[CardSource, ...] = ()
    quote: Text = Field(default="", description="The quoted evidence sentence")
    why_now: Title = Field(default="", description="What changed against the baseline")
    confirmations: int = Field(
        default=0,
        ge=0,
        description="Independent sources: of an event, the publishers that originated its"
        " stories; of a sector's move, its distinct stories",
    )
    first_seen: AwareDatetime | None = None
    last_seen: AwareDatetime | None = None
    day_only: bool = Field(
        default=False,
        description="The source gave the event's day, not its time (an earnings calendar's"
        " report date): first_seen, and the alert's starts_at, are that day's 00:00 UTC",
    )


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
    card: EventCard | None = Field(
        default=None, description="The event as a person reads it (companies, figures, sources)"
    )
