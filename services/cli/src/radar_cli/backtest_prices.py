"""A signal's worth, measured: the return of the companies an alert names, the next trading
day and the next week after it, against their sector's average over the same days.

Pure arithmetic on a price table (date, ticker, close). The alert's day is its event date
(UTC); the base close is the ticker's last close on or before that day (news after the close
is then measured from that close), and a horizon of n trading days is the close n rows later
in the ticker's own calendar. The sector average is the mean return of the sector's other
companies (from the reference data) with closes on both of those dates. Nothing is dropped
silently: every company an alert names is counted as priced or under the reason it is not
(no ticker, no price on or before the alert, no price far enough after it), per horizon.
"""

import csv
import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from radar_reference import ReferenceData, load_companies
from radar_schemas import AlertRaised

HORIZONS = {"next day": 1, "next week": 5}  # trading days after the alert's day


class PricesError(ValueError):
    """A price file that cannot be read, with the line at fault."""


@dataclass(frozen=True)
class Prices:
    """Closes per ticker (upper case), in date order."""

    closes: Mapping[str, tuple[tuple[date, float], ...]]

    def at_or_before(self, ticker: str, day: date) -> int | None:
        """The index of the ticker's last close on or before ``day``."""
        rows = self.closes.get(ticker.upper(), ())
        index = bisect_right([d for d, _ in rows], day) - 1
        return index if index >= 0 else None

    def close_on(self, ticker: str, day: date) -> float | None:
        rows = self.closes.get(ticker.upper(), ())
        index = bisect_right([d for d, _ in rows], day) - 1
        return rows[index][1] if index >= 0 and rows[index][0] == day else None


def read_prices(path: Path) -> Prices:
    """A CSV with a header naming ``date``, ``ticker`` and ``close`` (any order, any case)."""
    rows: dict[str, dict[date, float]] = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        names = {n.strip().lower(): n for n in reader.fieldnames or ()}
        if not {"date", "ticker", "close"} <= set(names):
            raise PricesError(f"{path}: the header must name date, ticker and close")
        for line, row in enumerate(reader, start=2):
            try:
                day = date.fromisoformat(row[names["date"]].strip())
                close = float(row[names["close"]])
            except (TypeError, ValueError) as exc:
                raise PricesError(f"{path}:{line}: {exc}") from None
            if not math.isfinite(close) or close <= 0:
                raise PricesError(f"{path}:{line}: a close must be a positive number")
            rows[row[names["ticker"]].strip().upper()][day] = close
    return Prices({t: tuple(sorted(days.items())) for t, days in rows.items()})


@dataclass
class HorizonStats:
    """Returns after one rule's alerts at one horizon, and why some could not be measured."""

    returns: list[float] = field(default_factory=list)
    excess: list[float] = field(default_factory=list)  # return minus the sector's average
    sector: list[float] = field(default_factory=list)
    missing: Counter[str] = field(default_factory=Counter)


def _return(prices: Prices, ticker: str, start: date, end: date) -> float | None:
    first, last = prices.close_on(ticker, start), prices.close_on(ticker, end)
    return None if first is None or last is None else last / first - 1


def measure(
    prices: Prices, day: date, ticker: str | None, peers: Iterable[str], steps: int
) -> tuple[float, float | None] | str:
    """The ticker's return ``steps`` trading days after ``day``, and its sector's average
    over the same dates (None when no peer has both closes); or why there is none."""
    if not ticker:
        return "no ticker"
    base = prices.at_or_before(ticker, day)
    if base is None:
        return "no price on or before the alert"
    rows = prices.closes[ticker.upper()]
    if base + steps >= len(rows):
        return "no price after the horizon"
    start, end = rows[base][0], rows[base + steps][0]
    own = rows[base + steps][1] / rows[base][1] - 1
    others = [
        r
        for p in peers
        if p.upper() != ticker.upper()
        if (r := _return(prices, p, start, end)) is not None
    ]
    return own, (sum(others) / len(others) if others else None)


def rule_returns(
    alerts: Iterable[AlertRaised], prices: Prices, sector_tickers: Mapping[str, tuple[str, ...]]
) -> dict[str, HorizonStats]:
    """Per horizon, the returns of every company named by ``alerts`` (each alert once)."""
    stats = {name: HorizonStats() for name in HORIZONS}
    for alert in alerts:
        companies = alert.card.companies if alert.card else ()
        peers = sector_tickers.get(alert.labels.get("sector", ""), ())
        for name, steps in HORIZONS.items():
            if not companies:
                stats[name].missing["no company named"] += 1
            for company in companies:
                found = measure(prices, alert.starts_at.date(), company.ticker, peers, steps)
                if isinstance(found, str):
                    stats[name].missing[found] += 1
                    continue
                own, average = found
                stats[name].returns.append(own)
                if average is None:
                    stats[name].missing["no sector average"] += 1
                else:
                    stats[name].sector.append(average)
                    stats[name].excess.append(own - average)
    return stats


def _mean(values: list[float]) -> str:
    return f"{100 * sum(values) / len(values):+.2f}%" if values else "-"


def table(
    by_rule: Mapping[str, list[AlertRaised]], prices: Prices, sectors: Mapping[str, tuple[str, ...]]
) -> list[str]:
    """The report's lines: per rule and horizon, mean return, sector average and excess,
    with how many were measured and why the others were not."""
    head = ("rule", "horizon", "n", "return", "sector", "excess", "n excess")
    lines = [_row(*head, "missing")]
    for rule, alerts in by_rule.items():
        for name, stats in rule_returns(alerts, prices, sectors).items():
            missing = ", ".join(f"{k}: {v}" for k, v in sorted(stats.missing.items())) or "none"
            means = (_mean(stats.returns), _mean(stats.sector), _mean(stats.excess))
            lines.append(
                _row(rule, name, str(len(stats.returns)), *means, str(len(stats.excess)), missing)
            )
    return lines


def _row(
    rule: str, horizon: str, n: str, own: str, sector: str, excess: str, m: str, why: str
) -> str:
    return f"{rule:<24} {horizon:<10} {n:>4} {own:>8} {sector:>8} {excess:>8} {m:>8}  {why}"


def sector_tickers(reference: ReferenceData) -> dict[str, tuple[str, ...]]:
    """Sector → the primary tickers of its listed companies."""
    found: dict[str, list[str]] = defaultdict(list)
    for company in reference.companies:
        for sector in company.sectors if company.ticker else ():
            found[sector.value].append(company.ticker or "")
    return {sector: tuple(sorted(tickers)) for sector, tickers in found.items()}


def section(by_rule: Mapping[str, list[AlertRaised]], prices: Prices, source: Path) -> list[str]:
    """The backtest report's returns section."""
    days = {d for rows in prices.closes.values() for d, _ in rows}
    span = f"{min(days)} to {max(days)}" if days else "no rows"
    return [
        "",
        f"returns after alerts (prices {source}: {len(prices.closes)} tickers, {span}),"
        " per company named on a card:",
        *table(by_rule, prices, sector_tickers(load_companies())),
    ]
