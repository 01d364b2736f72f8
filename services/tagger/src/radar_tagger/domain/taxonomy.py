"""The editable taxonomy file: theme cues, polarity cues, theme-to-sector map."""

from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from radar_schemas import THEME_SECTORS, Polarity, Sector, Theme
from radar_schemas.wire import describe

DEFAULT_TAXONOMY = Path(__file__).parent.parent / "data" / "taxonomy.yaml"
AI_GROUP = "@ai"  # as a combo group: the sentence (or a neighbour) must speak of AI


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Requirement(StrEnum):
    """What a document needs before a theme may be tagged at all."""

    AI = "ai"  # it speaks of AI somewhere
    AI_OR_COMPANY = "ai_or_company"  # or a reference company is its subject


class ThemeSpec(_Strict):
    """How one theme is found, which sectors it reaches and how its polarity is read."""

    cues: list[str] = []
    with_ai: list[str] = []
    combos: list[list[list[str]]] = []  # each: groups that must all be in one sentence
    requires: Requirement = Requirement.AI
    companies: list[str] = []
    subject_sector: Sector | None = None
    sectors: list[Sector] | None = None  # None: the taxonomy's default map (THEME_SECTORS)
    via_companies: bool = False
    only_sectors: list[Sector] | None = None
    default_sectors: list[Sector] = []
    default_polarity: Polarity = Polarity.POSITIVE
    positive: list[str] = []
    negative: list[str] = []
    weight: float = Field(default=1.0, gt=0)

    @model_validator(mode="after")
    def _finds_something(self) -> "ThemeSpec":
        if not (self.cues or self.with_ai or self.combos or self.companies or self.subject_sector):
            raise ValueError("a theme needs cues, with_ai, combos, companies or subject_sector")
        if any(not combo or not all(combo) for combo in self.combos):
            raise ValueError("combos and their groups must not be empty")
        return self

    def direct_sectors(self, theme: Theme) -> tuple[Sector, ...]:
        """The sectors this theme reaches on its own."""
        return tuple(self.sectors) if self.sectors is not None else THEME_SECTORS.get(theme, ())


class PolarityCues(_Strict):
    """General polarity cues, with negations that flip them, reversals that undo bad news and
    hedges that weaken them."""

    positive: list[str]
    negative: list[str]
    negations: list[str] = []
    # words that undo the bad news that follows them in their clause: "lifts a ban",
    # "settles a lawsuit", 解除禁令
    reversals: list[str] = []
    hedges: list[str] = []


class Taxonomy(_Strict):
    """The whole taxonomy file."""

    version: str
    ai_terms: list[str] = Field(min_length=1)
    themes: dict[Theme, ThemeSpec]
    ignore: list[str] = []  # idioms holding a cue that do not mean it ("game changer")
    # words naming one of a company's businesses: which sectors a document about it reaches
    segments: dict[Sector, list[str]] = {}
    polarity: PolarityCues


class TaxonomyError(ValueError):
    """The taxonomy file is missing or invalid; the message names the file and the field."""


def load_taxonomy(path: Path = DEFAULT_TAXONOMY) -> Taxonomy:
    """Read and validate a taxonomy file; raise TaxonomyError naming what is wrong."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Taxonomy.model_validate(document)
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        raise TaxonomyError(f"{path}: {describe(exc)}") from exc
