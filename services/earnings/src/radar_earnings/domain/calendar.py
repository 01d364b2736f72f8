"""Earnings calendar rows (FMP field names) to EarningsReported payloads. Pure.

A calendar is a JSON list of row objects or a CSV file whose header row names the same
fields; in CSV an empty cell is a null and the figure columns are read as numbers, so both
forms of the same rows give the same reports. Nulls and odd values never fail the batch: a
row that yields no report (not reported yet, no symbol, a date that is not one, more cells
than the header) is returned as a rejection with its reason. EPS and revenue surprises are
standardized (SUE) against the company's earlier surprises: those passed in ``history`` and
those of earlier rows of the same file. A CSV line that csv cannot read (a stray carriage
return, a cell over csv's field limit) is a rejection too, and the lines after it are read.

A file whose rows name companies by ``ticker`` (or 证券代码) instead of ``symbol`` is an
A-share / Hong Kong results file: its rows are read by ``cn_reports`` through the same
loop, so the service and ``radar replay`` take both layouts from the same entry points.
"""

import csv
import io
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError

from radar_reference import ReferenceData
from radar_schemas import Company, EarningsReported, ReportTime
from radar_schemas.earnings import MetricName
from radar_schemas.jsondoc import load_json

from . import cn_reports
from .cn_fields import decode_csv
from .surprise import metric, surprise, surprise_pct

__all__ = [
    "History",
    "calendar_rows",
    "csv_rows",
    "parse_calendar",
    "parse_row",
    "surprise",
    "surprise_pct",
]

_TIMES = {"bmo": ReportTime.BEFORE_OPEN, "amc": ReportTime.AFTER_CLOSE}
_FIELDS = {
    MetricName.EPS: ("eps", "epsEstimated"),
    MetricName.REVENUE: ("revenue", "revenueEstimated"),
}

# Figure columns of a CSV calendar, read as numbers (other cells stay text: "0700" is a ticker).
_NUMERIC = {field for pair in _FIELDS.values() for field in pair}
# Where csv.DictReader puts the cells of a line longer than the header.
_EXTRA = "\x00extra"
# Why a CSV line gave no row, for parse_row to reject it with.
_UNREADABLE = "\x00unreadable"

# (ticker, metric) -> [(period key, surprise)]: the company's earlier surprises.
History = Mapping[tuple[str, MetricName], Sequence[tuple[str, float]]]


class RowRejected(ValueError):
    """A row that yields no report, with the reason."""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int past float's range
        return None
    return number if math.isfinite(number) else None


def _cell(name: str, text: str) -> Any:
    value = text.strip()
    if not value:
        return None
    if name in _NUMERIC:
        try:
            return int(value)
        except ValueError:
            pass
        try:
            return float(value)
        except ValueError:
            return value  # an odd value: dropped by the row parser as in JSON
    return value


def csv_rows(text: str) -> list[dict[str, Any]]:
    """The rows of a CSV calendar: a header row of field names, then one row a line.
    ValueError when the header row cannot be read."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), restkey=_EXTRA)
    try:
        if reader.fieldnames is not None:
            reader.fieldnames = [name.strip() for name in reader.fieldnames]
    except csv.Error as exc:
        raise ValueError(f"CSV header row unreadable: {exc}") from None
    rows: list[dict[str, Any]] = []
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:  # the line is consumed: the next one is read afresh
            rows.append({_UNREADABLE: f"line {reader.reader.line_num}: {exc}"})
            continue
        row = {name: _cell(name, value) for name, value in raw.items() if isinstance(value, str)}
        if _EXTRA in raw:
            row[_EXTRA] = raw[_EXTRA]
        rows.append(row)


def calendar_rows(raw: bytes, suffix: str) -> list[Any]:
    """The rows of a calendar file: CSV when ``suffix`` is ``.csv``, else a JSON list.
    ValueError (one line) when the file holds no list of rows at all."""
    if suffix.lower() == ".csv":
        return csv_rows(decode_csv(raw))
    rows = load_json(raw)
    if not isinstance(rows, list):
        raise ValueError(f"a calendar is a JSON list of rows, not a {type(rows).__name__}")
    return rows


def _earlier(history: History, key: tuple[str, MetricName], period: str) -> list[float]:
    return [value for p, value in sorted(history.get(key, ())) if p < period]


def parse_row(row: dict[str, Any], source: str, history: History | None = None) -> EarningsReported:
    """One calendar row as a report; RowRejected when it carries no reported figure."""
    if not isinstance(row, dict):
        raise RowRejected(f"not a row object: {type(row).__name__}")
    if _UNREADABLE in row:
        raise RowRejected(f"unreadable CSV {row[_UNREADABLE]}")
    if _EXTRA in row:
        raise RowRejected(f"more cells than the header names: {row[_EXTRA]!r}")
    symbol = str(row.get("symbol") or "").strip().upper()
    if not symbol:
        raise RowRejected("empty symbol")
    if not symbol.isprintable():
        raise RowRejected(f"symbol with control characters: {symbol!r}")
    report_date = date.fromisoformat(str(row["date"]))
    period_end = row.get("fiscalDateEnding")
    end = date.fromisoformat(period_end) if period_end else None  # before it names the row
    period = str(period_end or report_date.isoformat())
    metrics = {}
    for name, (actual_field, estimate_field) in _FIELDS.items():
        actual, estimate = _number(row.get(actual_field)), _number(row.get(estimate_field))
        if actual is not None:
            earlier = _earlier(history or {}, (symbol, name), period)
            metrics[name] = metric(actual, estimate, history=earlier)
    if not metrics:
        raise RowRejected(f"{symbol} {period}: no actual figure (not reported yet)")
    return EarningsReported(
        report_id=f"{symbol}:{period}:{source}",
        company=Company(ticker=symbol),
        period_end=end,
        report_date=report_date,
        report_time=_TIMES.get(str(row.get("time", "")).lower(), ReportTime.UNKNOWN),
        source=source,
        metrics=metrics,
    )


def _period(row: Any) -> str:
    if isinstance(row, dict):
        return str(row.get("fiscalDateEnding") or row.get("date") or "")
    return ""


RowParser = Callable[[Any, str, History], EarningsReported]


def _layout(
    rows: list[Any], reference: ReferenceData | None
) -> tuple[RowParser, Callable[[Any], str]]:
    """How to read a row and its period: FMP calendar rows, or A-share / HK results."""
    if cn_reports.is_cn_layout(rows):

        def parse_cn(row: Any, source: str, history: History) -> EarningsReported:
            return cn_reports.parse_cn_row(row, source, history, reference)

        return parse_cn, cn_reports.row_period
    return parse_row, _period


def row_tickers(rows: list[Any], reference: ReferenceData | None = None) -> list[str]:
    """The tickers whose surprise history the rows need, in either layout."""
    if cn_reports.is_cn_layout(rows):
        return cn_reports.row_tickers(rows, reference)
    return [str(r.get("symbol") or "").upper() for r in rows if isinstance(r, dict)]


def parse_calendar(
    rows: list[Any],
    source: str,
    history: History | None = None,
    reference: ReferenceData | None = None,
) -> tuple[list[EarningsReported], list[str]]:
    """Reports and, for rows that yield none, one rejection line each (never raises).
    ``reference`` resolves the tickers of an A-share / HK file (default: the shipped one)."""
    parse_one, period_of = _layout(rows, reference)
    known: dict[tuple[str, MetricName], list[tuple[str, float]]] = defaultdict(list)
    for key, entries in (history or {}).items():
        known[key].extend(entries)
    reports, problems = [], []
    # Earlier periods first, so a later row of the same company sees the earlier surprise.
    for index, row in sorted(enumerate(rows), key=lambda pair: period_of(pair[1])):
        try:
            report = parse_one(row, source, known)
        except (KeyError, TypeError, ValueError) as exc:  # ValidationError is a ValueError
            # counted from 1, the header not counted: a CSV's row N is its line N + 1
            problems.append(f"row {index + 1}: {_reason(exc)}")
            continue
        reports.append(report)
        for name, figure in report.metrics.items():
            if figure.surprise is not None:
                known[(report.company.ticker, name)].append((period_of(row), figure.surprise))
    return reports, problems


def _reason(exc: Exception) -> str:
    """Why a row was rejected, on one line (pydantic's own text spans several)."""
    if isinstance(exc, ValidationError):
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"])
        return f"{where}: {error['msg']}"
    if isinstance(exc, RowRejected):
        return str(exc)  # says it in words already: "empty symbol"
    if isinstance(exc, KeyError) and exc.args:
        return f"no {exc.args[0]!r} field"
    return f"{type(exc).__name__}: {exc}"


def surprises(
    reports: Sequence[EarningsReported],
) -> dict[tuple[str, MetricName], dict[str, float]]:
    """The surprises the reports carry, by (ticker, metric) and period: history to keep."""
    found: dict[tuple[str, MetricName], dict[str, float]] = defaultdict(dict)
    for report in reports:
        period = (report.period_end or report.report_date).isoformat()
        for name, figure in report.metrics.items():
            if figure.surprise is not None:
                found[(report.company.ticker, name)][period] = figure.surprise
    return dict(found)
