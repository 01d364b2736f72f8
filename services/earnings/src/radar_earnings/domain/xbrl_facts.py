"""XBRL companyfacts JSON to point-in-time figures per metric and period. Pure.

Each metric has a chain of concepts, US GAAP first, then IFRS: for each period the first
concept in the chain that reports it wins (companies change tags over the years). A fact
filed in several filings keeps its first filing as the point-in-time value; a later
different value is a restatement. A level of the document with the wrong type (a taxonomy,
concept or unit that is not an object or list) is skipped with a problem naming its path;
a malformed fact (no start, not a date, not a finite number, ending before it starts) is
skipped as instant facts are.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from radar_schemas.earnings import MetricName

CONCEPTS: dict[MetricName, tuple[str, ...]] = {
    MetricName.REVENUE: (
        "Revenues",
        "RevenueFromContractWithCustomerExcludingAssessedTax",
        "SalesRevenueNet",
        "RevenueFromContractWithCustomerIncludingAssessedTax",
        "Revenue",  # ifrs-full
        "RevenueFromContractsWithCustomers",  # ifrs-full
    ),
    MetricName.NET_INCOME: (
        "NetIncomeLoss",
        "ProfitLossAttributableToOwnersOfParent",  # ifrs-full
        "ProfitLoss",
    ),
    MetricName.OPERATING_INCOME: ("OperatingIncomeLoss", "ProfitLossFromOperatingActivities"),
    MetricName.GROSS_PROFIT: ("GrossProfit",),
    MetricName.EPS_BASIC: ("EarningsPerShareBasic", "BasicEarningsLossPerShare"),
    MetricName.EPS_DILUTED: ("EarningsPerShareDiluted", "DilutedEarningsLossPerShare"),
}
FLOW_METRICS = frozenset(
    {
        MetricName.REVENUE,
        MetricName.NET_INCOME,
        MetricName.OPERATING_INCOME,
        MetricName.GROSS_PROFIT,
    }
)
TAXONOMIES = ("us-gaap", "ifrs-full")
PREFERRED_UNITS = ("USD", "USD/shares")


@dataclass(frozen=True)
class Fact:
    """One value of one concept for one period, as one filing reported it."""

    start: date
    end: date
    value: float
    filed: date
    accn: str
    fy: int | None
    fp: str | None


Period = tuple[date, date]


@dataclass
class Series:
    """Every filing's value of one metric for one period, oldest filing first."""

    unit: str
    facts: list[Fact] = field(default_factory=list)

    @property
    def first(self) -> Fact:
        """The point-in-time value: as first filed."""
        return self.facts[0]

    @property
    def restated(self) -> float | None:
        """The latest value when it differs from the first."""
        latest = self.facts[-1].value
        return latest if latest != self.first.value else None

    def as_of(self, day: date) -> float:
        """The latest value filed on or before ``day`` (the first one if none was)."""
        known = [f.value for f in self.facts if f.filed <= day]
        return known[-1] if known else self.first.value


def _fact(raw: dict[str, Any]) -> Fact | None:
    try:
        value = float(raw["val"])
        fact = Fact(
            start=date.fromisoformat(raw["start"]),
            end=date.fromisoformat(raw["end"]),
            value=value,
            filed=date.fromisoformat(raw["filed"]),
            accn=str(raw["accn"]),
            fy=int(raw["fy"]) if raw.get("fy") is not None else None,
            fp=str(raw["fp"]) if raw.get("fp") else None,
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        return None  # instant facts (no start) and malformed entries
    return fact if math.isfinite(value) and fact.start <= fact.end else None


def _unit(units: dict[str, Any]) -> str | None:
    for unit in PREFERRED_UNITS:
        if unit in units:
            return unit
    return next(iter(units), None)


def _object(value: Any, where: str, problems: list[str]) -> dict[str, Any] | None:
    """``value`` when it is an object; else None, and a problem naming ``where``."""
    if isinstance(value, dict):
        return value
    problems.append(f"{where}: expected an object, not {type(value).__name__}: skipped")
    return None


def _concept(
    facts: dict[str, Any], name: str, problems: list[str]
) -> tuple[str, list[Fact]] | None:
    for taxonomy in TAXONOMIES:
        where = f"facts.{taxonomy}.{name}"
        if name not in facts.get(taxonomy, {}):
            continue
        concept = _object(facts[taxonomy][name], where, problems)
        units = _object(concept.get("units"), f"{where}.units", problems) if concept else None
        unit = _unit(units) if units else None
        if units is None or unit is None:
            continue
        if not isinstance(units[unit], list):
            problems.append(f"{where}.units.{unit}: expected a list of facts: skipped")
            continue
        parsed = (_fact(raw) for raw in units[unit] if isinstance(raw, dict))
        return unit, [f for f in parsed if f is not None]
    return None


def metric_series(
    facts: dict[str, Any], name: MetricName, problems: list[str] | None = None
) -> dict[Period, Series]:
    """Per period, the filings' values of the first concept of the chain that has it.
    ``facts`` maps each taxonomy to an object; levels of the wrong type below it are
    skipped and reported in ``problems``."""
    found: dict[Period, Series] = {}
    for concept in CONCEPTS[name]:
        reported = _concept(facts, concept, [] if problems is None else problems)
        if reported is None:
            continue
        unit, concept_facts = reported
        by_period: dict[Period, list[Fact]] = defaultdict(list)
        for fact in concept_facts:
            by_period[(fact.start, fact.end)].append(fact)
        for period, period_facts in by_period.items():
            if period not in found:
                ordered = sorted(period_facts, key=lambda f: (f.filed, f.accn))
                found[period] = Series(unit, ordered)
    return found


def all_series(
    companyfacts: dict[str, Any],
) -> tuple[dict[MetricName, dict[Period, Series]], list[str]]:
    """Every known metric's series, from a companyfacts document, and the problems met.
    ValueError when it has no ``facts`` object."""
    facts = companyfacts.get("facts")
    if not isinstance(facts, dict):
        raise ValueError("no 'facts' object: not an XBRL companyfacts document")
    problems: list[str] = []
    taxonomies = {
        name: facts[name]
        for name in TAXONOMIES
        if name in facts and _object(facts[name], f"facts.{name}", problems) is not None
    }
    return {name: metric_series(taxonomies, name, problems) for name in CONCEPTS}, problems
