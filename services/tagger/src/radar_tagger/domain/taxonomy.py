"""The editable taxonomy file: themes' cue phrases, polarity cues, companies."""

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from radar_schemas import Theme

DEFAULT_TAXONOMY = Path(__file__).parent.parent / "data" / "taxonomy.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ThemeSpec(_Strict):
    cues: list[str] = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)


class PolarityCues(_Strict):
    positive: list[str]
    negative: list[str]
    negations: list[str] = []
    hedges: list[str] = []


class Taxonomy(_Strict):
    version: str
    themes: dict[Theme, ThemeSpec]
    polarity: PolarityCues
    ai_context: list[str] = Field(min_length=1)


class TaxonomyError(ValueError):
    """The taxonomy file is missing or invalid; the message names the file and the field."""


def load_taxonomy(path: Path = DEFAULT_TAXONOMY) -> Taxonomy:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Taxonomy.model_validate(document)
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        errors = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise TaxonomyError(f"{path}: {errors}") from exc
