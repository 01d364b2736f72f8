"""Loading and looking up the company reference file."""

from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from radar_schemas import Sector

from .hanzi import traditional_spellings

DEFAULT_COMPANIES_FILE = Path(__file__).parent / "data" / "companies.yaml"

# A ticker as written in the file: "META", "0700.HK", "300413.SZ", "688981.SS", "BRK-B".
_TICKER = r"^[A-Z0-9][A-Z0-9.\-]*$"


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
    watched: bool = Field(
        default=True,
        description="False for a firm named around AI news rather than in its universe "
        "(a broker that rates, a bank, an investor, a consumer brand): an entity, never "
        "the subject that makes a story a signal",
    )
    ai_lab: bool | None = Field(
        default=None,
        description="Whether naming the company speaks of AI (OpenAI, DeepSeek). Unset: a "
        "private company in one or two sectors is taken for an AI lab, a listed one is not; "
        "false for a private company of another trade (miHoYo, Xiaohongshu)",
    )
    listings: tuple[Annotated[str, StringConstraints(pattern=_TICKER)], ...] = Field(
        default=(),
        description="Other tickers of the same company (a second listing, an ADR): "
        "0981.HK lists 688981.SS; the primary one stays in `ticker`",
    )

    @model_validator(mode="after")
    def _ambiguous_are_aliases(self) -> "CompanyRecord":
        unknown = set(self.ambiguous) - set(self.aliases)
        if unknown:
            raise ValueError(f"ambiguous names not among the aliases: {sorted(unknown)}")
        return self

    @model_validator(mode="after")
    def _listings_are_other_tickers(self) -> "CompanyRecord":
        if len(set(self.listings)) != len(self.listings):
            raise ValueError(f"listings repeat a ticker: {list(self.listings)}")
        if self.ticker and self.ticker.upper() in {t.upper() for t in self.listings}:
            raise ValueError(f"listings repeat the primary ticker {self.ticker}")
        return self

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every alias, and the traditional spelling of each simplified Chinese one."""
        return _with_traditional(self.aliases)

    @property
    def ambiguous_spellings(self) -> tuple[str, ...]:
        """The ambiguous aliases in both scripts (寒武纪 and 寒武紀)."""
        return _with_traditional(self.ambiguous)

    @property
    def tickers(self) -> tuple[str, ...]:
        """Every ticker of the company, the primary one first."""
        return ((self.ticker,) if self.ticker else ()) + self.listings


def _with_traditional(names: tuple[str, ...]) -> tuple[str, ...]:
    spelled = (t for n in names for t in traditional_spellings(n))
    return names + tuple(dict.fromkeys(t for t in spelled if t not in names))


class ReferenceData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    companies: tuple[CompanyRecord, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> "ReferenceData":
        counts = Counter(c.id for c in self.companies)
        duplicates = sorted(i for i, n in counts.items() if n > 1)
        if duplicates:
            raise ValueError(f"duplicate company ids: {duplicates}")
        return self

    @model_validator(mode="after")
    def _unique_tickers(self) -> "ReferenceData":
        """A ticker (primary or another listing) names one company only."""
        owners: dict[str, set[str]] = {}
        for c in self.companies:
            for ticker in c.tickers:
                owners.setdefault(ticker.upper(), set()).add(c.id)
        shared = {t: sorted(ids) for t, ids in sorted(owners.items()) if len(ids) > 1}
        if shared:
            raise ValueError(f"tickers listed for more than one company: {shared}")
        return self

    @cached_property
    def by_id(self) -> dict[str, CompanyRecord]:
        return {c.id: c for c in self.companies}

    @cached_property
    def by_cik(self) -> dict[str, CompanyRecord]:
        return {c.cik: c for c in self.companies if c.cik}

    @cached_property
    def by_ticker(self) -> dict[str, CompanyRecord]:
        """Upper-case ticker -> company, for the primary ticker and every other listing."""
        return {t.upper(): c for c in self.companies for t in c.tickers}

    @cached_property
    def by_alias(self) -> dict[str, CompanyRecord]:
        """Case-folded name or alias -> company (Chinese names included)."""
        out: dict[str, CompanyRecord] = {}
        for c in self.companies:
            for alias in (c.name, *c.spellings):
                out.setdefault(alias.casefold(), c)
        return out

    def lookup(self, name: str) -> CompanyRecord | None:
        """The company an id, a ticker of any listing, a name or an alias stands for."""
        key = name.strip()
        return (
            self.by_id.get(key)
            or self.by_ticker.get(key.upper())
            or self.by_alias.get(key.casefold())
        )


class ReferenceError(ValueError):
    """The reference file is missing or invalid; the message names the file and the entry."""
