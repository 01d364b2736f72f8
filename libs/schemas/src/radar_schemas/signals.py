"""The tagger's output: themes, entities, sectors and quantities of one document."""

from pydantic import AwareDatetime, Field

from .base import Ident, Label, Message, Text, Title, UnitInterval, Url
from .news import DocumentKind
from .taxonomy import Polarity, Sector, Theme


class Evidence(Message):
    """The sentence that triggered a tag, with character offsets into the document text."""

    sentence: Text
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    in_title: bool = False


class ThemeTag(Message):
    """One theme found in a document."""

    theme: Theme
    polarity: Polarity
    confidence: UnitInterval
    evidence: tuple[Evidence, ...] = ()


class EntityTag(Message):
    """A company named in a document."""

    entity_id: Label = Field(description="Ticker, or a lower-case id for private companies")
    name: Title
    relevance: UnitInterval
    sectors: tuple[Sector, ...] = ()


class SectorTag(Message):
    """A sector a document reaches, through its themes or its companies."""

    sector: Sector
    relevance: UnitInterval


class Quantity(Message):
    """A figure stated in the text: token volumes, prices, growth, revenue, seats. Signed: a
    decline, cut, loss or reduction is negative. Money in ISO currency codes (USD, CNY, ...)."""

    kind: Label
    value: float
    unit: Label
    period: Label | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    in_title: bool = Field(default=False, description="Offsets are into the title")
    company: Label | None = Field(default=None, description="Entity id the figure belongs to")
    guidance: bool = Field(default=False, description="A forecast or outlook, not a result")
    estimate: bool = Field(
        default=False,
        description="Analysts' estimate or consensus (also guidance), not the company's own "
        "figure ('above the $33.1 billion analysts expected', 高于市场预期的3.2亿元)",
    )
    prior: float | None = Field(default=None, description="The earlier value it compares with")
    about: Label | None = Field(
        default=None,
        description="What a change, a part of a whole, an amount or a count measures, in the "
        "text's words ('advertising revenue', '营收', 'customers', 'funding', 'authors')",
    )


class DocumentTagged(Message):
    """Signals found in one ingested document."""

    document_id: Ident
    kind: DocumentKind = DocumentKind.NEWS
    source: Label
    title: Title
    url: Url | None = None
    published_at: AwareDatetime
    published_day_only: bool = Field(
        default=False,
        description="True when the source gave a date without a time: published_at is that "
        "day's 00:00 UTC",
    )
    credibility: UnitInterval = 1.0
    novelty: int = Field(default=100, ge=0, le=100)
    story_id: Ident | None = None
    themes: tuple[ThemeTag, ...] = ()
    entities: tuple[EntityTag, ...] = ()
    sectors: tuple[SectorTag, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    sentiment: Polarity = Polarity.NEUTRAL
    relevant: bool = False
    taxonomy_version: Label
    tagger_version: Label
