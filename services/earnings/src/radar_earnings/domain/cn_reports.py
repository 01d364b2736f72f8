"""A-share and Hong Kong quarterly results (a CSV or JSON file, English or Chinese column
names) to EarningsReported payloads. Pure, apart from reading the shipped company file
once when no reference data is passed in.

The layout is documented in docs/earnings.md. A row is one company's single quarter:
report date, period (``2025Q3``), ticker (``300413.SZ``, ``0700.HK``, or another listing
of the same company such as ``NTES``), revenue, net profit attributable to shareholders
(归母净利润), EPS, the consensus of each where known, and the currency. The ticker is
resolved through the company reference, so a company listed in two places is one entity
under its primary ticker. Amounts keep their currency (``currency`` on the report and the
unit of each metric); surprise, surprise % and SUE are computed as for US calendars.
"""

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from radar_reference import ReferenceData, load_companies
from radar_schemas import Company, EarningsReported
from radar_schemas.earnings import MetricName

from . import cn_fields
from .cn_fields import CellError
from .surprise import metric

__all__ = ["CellError", "is_cn_layout", "parse_cn_row", "row_period", "row_tickers"]

# (ticker, metric) -> [(period key, surprise)], as calendar.History.
History = Mapping[tuple[str, MetricName], Sequence[tuple[str, float]]]
# Metric -> (actual field, consensus field, per share).
_METRICS = {
    MetricName.REVENUE: ("revenue", "revenue_consensus", False),
    MetricName.NET_INCOME: ("net_profit", "net_profit_consensus", False),
    MetricName.EPS: ("eps", "eps_consensus", True),
}


@cache
def _shipped_reference() -> ReferenceData:
    return load_companies()


def is_cn_layout(rows: Sequence[Any]) -> bool:
    """True when the first row object names its company by ``ticker`` (or 证券代码, ...)
    rather than by an FMP ``symbol``."""
    first = next((row for row in rows if isinstance(row, dict)), None)
    if first is None or "symbol" in first:
        return False
    return any(cn_fields.header(str(name))[0] == "ticker" for name in first)


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    """The row under canonical field names, amounts already multiplied by their unit."""
    out: dict[str, Any] = {}
    for name, value in row.items():
        field, multiplier = cn_fields.header(str(name))
        if field is None or field in out:
            continue
        if field in cn_fields.AMOUNT_FIELDS:
            out[field] = cn_fields.number(value, multiplier)
        elif field in cn_fields.PER_SHARE_FIELDS:
            out[field] = cn_fields.number(value)
        else:
            out[field] = value
    return out


def row_period(row: Any) -> str:
    """The period end a row is for (ISO), for ordering rows; empty when unreadable."""
    if not isinstance(row, dict):
        return ""
    value = next((v for k, v in row.items() if cn_fields.header(str(k))[0] == "period"), None)
    try:
        return cn_fields.quarter_end(*cn_fields.quarter(value)).isoformat()
    except CellError:
        return ""


def _company(listed_as: str, name: Any, reference: ReferenceData) -> Company:
    record = reference.by_ticker.get(listed_as)
    if record is None:  # not in the reference: the file's own name for it, if any
        return Company(ticker=listed_as, name=str(name or "").strip() or None)
    return Company(ticker=record.ticker or listed_as, name=record.name, cik=record.cik)


def row_tickers(rows: Sequence[Any], reference: ReferenceData | None = None) -> list[str]:
    """The primary tickers the rows name (for loading their surprise history)."""
    known = reference or _shipped_reference()
    tickers = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        value = next((v for k, v in row.items() if cn_fields.header(str(k))[0] == "ticker"), "")
        try:
            listed_as = cn_fields.ticker(value)
        except CellError:
            continue
        record = known.by_ticker.get(listed_as)
        tickers.append(record.ticker if record and record.ticker else listed_as)
    return tickers


def parse_cn_row(
    row: Any,
    source: str,
    history: History | None = None,
    reference: ReferenceData | None = None,
) -> EarningsReported:
    """One row as a report; ValueError (CellError) naming the cell that made it unusable."""
    if not isinstance(row, dict):
        raise CellError(f"not a row object: {type(row).__name__}")
    cells = _fields(row)
    listed_as = cn_fields.ticker(cells.get("ticker"))
    company = _company(listed_as, cells.get("name"), reference or _shipped_reference())
    year, number_q = cn_fields.quarter(cells.get("period"))
    period_end = cn_fields.quarter_end(year, number_q)
    report_date = cn_fields.day(cells.get("report_date"))
    if report_date <= period_end:
        raise CellError(f"{listed_as}: reported {report_date} before {year}Q{number_q} ended")
    money = cn_fields.currency(cells.get("currency"), listed_as)
    earlier = _earlier_surprises(history or {}, company.ticker, period_end.isoformat())
    metrics = {}
    for name, (actual_field, consensus_field, per_share) in _METRICS.items():
        actual = cells.get(actual_field)
        if actual is not None:
            unit = f"{money}/shares" if per_share else money
            estimate = cells.get(consensus_field)
            metrics[name] = metric(actual, estimate, unit=unit, history=earlier(name))
    if not metrics:
        raise CellError(f"{listed_as} {year}Q{number_q}: no actual figure (not reported yet)")
    return EarningsReported(
        report_id=f"{company.ticker}:{period_end.isoformat()}:{source}",
        company=company,
        fiscal_year=year,
        fiscal_period=f"Q{number_q}",
        period_end=period_end,
        report_date=report_date,
        source=source,
        currency=money,
        metrics=metrics,
    )


def _earlier_surprises(
    history: History, ticker: str, period: str
) -> Callable[[MetricName], list[float]]:
    def earlier(name: MetricName) -> list[float]:
        return [value for p, value in sorted(history.get((ticker, name), ())) if p < period]

    return earlier
