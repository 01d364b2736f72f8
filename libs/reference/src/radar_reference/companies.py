"""Loading and looking up the company reference file."""

from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from radar_schemas import Sector

DEFAULT_COMPANIES_FILE = Path(__file__).parent / "data" / "companies.yaml"


class CompanyRecord(BaseModel):
    """One company: how text names it, how markets and the SEC list it, which sectors it is in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(
        min_length=1,
        description="Ticker (with exchange suffix outside the US) "
        "or a lower-case id for a private company",
    )
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = Field(min_length=1)
    ambiguous: tuple[str, ...] = Field(
        default=(), description="Aliases that are common words: count only in company context"
    )
    ticker: str | None = None
    exchange: str | None = None
    country: str | None = None
    sectors: tuple[Sector, ...] = ()
    cik: str | None = Field(default=None, pattern=r"^\d{10}$", description="SEC CIK, 10 digits")

    @model_validator(mode="after")
    def _ambiguous_are_aliases(self) -> "CompanyRecord":
        unknown = set(self.ambiguous) - set(self.aliases)
        if unknown:
            raise ValueError(f"ambiguous names not among the aliases: {sorted(unknown)}")
        return self


class ReferenceData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    companies: tuple[CompanyRecord, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> "ReferenceData":
        ids = [c.id for c in self.companies]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate company ids: {duplicates}")
        return self

    @cached_property
    def by_id(self) -> dict[str, CompanyRecord]:
        return {c.id: c for c in self.companies}

    @cached_property
    def by_cik(self) -> dict[str, CompanyRecord]:
        return {c.cik: c for c in self.companies if c.cik}

    @cached_property
    def by_ticker(self) -> dict[str, CompanyRecord]:
        return {c.ticker.upper(): c for c in self.companies if c.ticker}


class ReferenceError(ValueError):
    """The reference file is missing or invalid; the message names the file and the entry."""


def load_companies(path: Path = DEFAULT_COMPANIES_FILE) -> ReferenceData:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        return ReferenceData.model_validate(document)
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        errors = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ReferenceError(f"{path}: {errors}") from exc
