"""News and document ingestion messages."""

from enum import StrEnum

from pydantic import AwareDatetime, Field

from .base import Ident, Label, Message, Text, Title, UnitInterval, Url


class DocumentKind(StrEnum):
    """What sort of text a document is; the tagger treats them alike."""

    NEWS = "news"
    PRESS_RELEASE = "press_release"
    TRANSCRIPT = "transcript"


class NewsItemIngested(Message):
    """A news item (or an earnings text) read from a source, normalised and ready to tag.

    Emitted as ``news.ingested``; a known item whose content changed is emitted again
    with the same ``item_id`` as ``news.updated``.
    """

    item_id: Ident = Field(description="Deterministic id: feed guid, else canonical URL, else hash")
    source: Label = Field(description="Configured feed or source name")
    kind: DocumentKind = DocumentKind.NEWS
    title: Title
    text: Text = ""
    url: Url | None = None
    published_at: AwareDatetime
    published_estimated: bool = Field(
        default=False, description="True when the feed gave no date and fetch time was used"
    )
    published_day_only: bool = Field(
        default=False,
        description="True when the feed gave a date without a time: published_at is that "
        "day's 00:00 UTC",
    )
    language: Label | None = None
    credibility: UnitInterval = 1.0
    story_id: Ident | None = Field(default=None, description="Story chain this item belongs to")
    novelty: int = Field(default=100, ge=0, le=100, description="100 for a chain's first item")
    tickers: tuple[Label, ...] = Field(
        default=(), description="Companies the source already links the item to"
    )
