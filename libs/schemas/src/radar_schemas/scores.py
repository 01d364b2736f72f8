"""Sector scores."""

from pydantic import AwareDatetime, Field

from .base import Ident, Message, Text, Title, Url
from .taxonomy import Sector, Theme


class Contribution(Message):
    """A document's share in a sector's score."""

    document_id: Ident
    title: Title
    url: Url | None = None
    theme: Theme | None = None
    delta: float
    at: AwareDatetime
    quote: Text = Field(default="", description="The evidence sentence, when there is one")


class SectorScored(Message):
    """A sector's score, computed on event time, after a change."""

    sector: Sector
    as_of: AwareDatetime = Field(description="Event time the score is valid at")
    score: float
    attention: float = Field(ge=0.0, description="Decayed count of signals")
    z: float | None = Field(
        default=None,
        description="Score against its baseline in standard deviations; None until"
        " the baseline has history",
    )
    momentum: float | None = Field(
        default=None, description="Change of the score over the last 24 hours, when known"
    )
    signals: int = Field(ge=0, description="Signals folded in so far")
    attention_baseline: float | None = Field(
        default=None, description="EWMA of daily attention samples; None until there is history"
    )
    top_contributors: tuple[Contribution, ...] = ()
