"""SEC XBRL companyfacts to EarningsReported payloads, one per fiscal quarter and year. Pure.

Fiscal labels come from the filing that reported a period as its current one (the latest
period end in that filing); a quarter only ever seen as a comparative takes its label from
the fiscal year that contains it. Q4 of flow items is derived as FY − Q1 − Q2 − Q3 when no
filing states it, using the quarters as known when the annual report was filed.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from radar_schemas import Company, EarningsReported
from radar_schemas.earnings import Metric, MetricName

from .xbrl_facts import FLOW_METRICS, Fact, Period, Series, all_series

SeriesMap = dict[MetricName, dict[Period, Series]]
FiscalLabel = tuple[int, str]  # (fiscal year, "Q1".."Q4" or "FY")
SOURCE = "sec"


def period_kind(period: Period) -> str | None:
    """ "Q" for a quarter, "FY" for a year, None for anything else (half years, YTD)."""
    days = (period[1] - period[0]).days + 1
    if 80 <= days <= 100:
        return "Q"
    return "FY" if 350 <= days <= 380 else None


def _label_from(fact: Fact, kind: str) -> FiscalLabel | None:
    if fact.fy is None:
        return None
    if kind == "FY":
        return (fact.fy, "FY") if fact.fp == "FY" else None
    if fact.fp in ("Q1", "Q2", "Q3"):
        return fact.fy, fact.fp
    return (fact.fy, "Q4") if fact.fp == "FY" else None


def _label_in(fact: Fact, kind: str, latest_end: date) -> tuple[int, FiscalLabel] | None:
    """The label a filing gives a period: as its current period (rank 0), or for a year
    shown as a comparative, counted back from the filing's own fiscal year (rank 1)."""
    if fact.end == latest_end:
        label = _label_from(fact, kind)
        return (0, label) if label else None
    if kind == "FY" and fact.fp == "FY" and fact.fy is not None:
        return 1, (fact.fy - round((latest_end - fact.end).days / 365.25), "FY")
    return None


def _current_labels(series: SeriesMap) -> dict[Period, tuple[int, date, FiscalLabel]]:
    latest_end: dict[str, date] = {}
    for by_period in series.values():
        for s in by_period.values():
            for f in s.facts:
                latest_end[f.accn] = max(latest_end.get(f.accn, f.end), f.end)
    labels: dict[Period, tuple[int, date, FiscalLabel]] = {}
    for by_period in series.values():
        for period, s in by_period.items():
            kind = period_kind(period)
            if kind is None:
                continue
            for f in s.facts:
                ranked = _label_in(f, kind, latest_end[f.accn])
                if ranked and (period not in labels or (ranked[0], f.filed) < labels[period][:2]):
                    labels[period] = (ranked[0], f.filed, ranked[1])
    return labels


def _containing_year(period: Period, years: dict[Period, FiscalLabel]) -> FiscalLabel | None:
    for (start, end), (fy, _) in years.items():
        if start <= period[0] and period[1] <= end:
            quarter = min(4, max(1, round((period[1] - start).days / 91.3)))
            return fy, f"Q{quarter}"
    return None


def fiscal_periods(series: SeriesMap) -> dict[FiscalLabel, Period]:
    """Each fiscal quarter and year found, with its period; the earliest-filed one wins."""
    current = _current_labels(series)
    years = {p: label for p, (_, _, label) in current.items() if label[1] == "FY"}
    periods = {p for by_period in series.values() for p in by_period if period_kind(p)}
    found: dict[FiscalLabel, Period] = {}
    for period in sorted(periods, key=lambda p: (p[1], p[0])):
        label = current[period][2] if period in current else _containing_year(period, years)
        if label is not None and label not in found:
            found[label] = period
    return found


def derive_q4(series: SeriesMap, periods: dict[FiscalLabel, Period]) -> set[Period]:
    """Add FY − Q1 − Q2 − Q3 for flow metrics where Q4 is not reported; the derived periods."""
    derived: set[Period] = set()
    for (fy, fp), year in list(periods.items()):
        quarters = [periods[(fy, q)] for q in ("Q1", "Q2", "Q3") if (fy, q) in periods]
        if fp != "FY" or (fy, "Q4") in periods or len(quarters) < 3:
            continue
        if quarters[2][1] >= year[1]:  # no days left for a Q4 (and none past date.max)
            continue
        q4 = (quarters[2][1] + timedelta(days=1), year[1])
        for name in FLOW_METRICS:
            by_period = series[name]
            if year not in by_period or any(q not in by_period for q in quarters):
                continue
            annual = by_period[year].first
            parts = sum(by_period[q].as_of(annual.filed) for q in quarters)
            value = round(annual.value - parts, 6)
            fact = Fact(q4[0], q4[1], value, annual.filed, annual.accn, fy, "Q4")
            by_period[q4] = Series(by_period[year].unit, [fact])
            derived.add(q4)
        if q4 in derived:
            periods[(fy, "Q4")] = q4
    return derived


def _growth_pct(current: float, before: float | None) -> float | None:
    if before is None or before == 0:
        return None
    return round((current - before) / abs(before) * 100, 4)


def _earlier(label: FiscalLabel) -> tuple[FiscalLabel, FiscalLabel | None]:
    fy, fp = label
    if fp == "FY":
        return (fy - 1, "FY"), None
    quarter = int(fp[1])
    return (fy - 1, fp), ((fy, f"Q{quarter - 1}") if quarter > 1 else (fy - 1, "Q4"))


def _metric(
    s: Series,
    label: FiscalLabel,
    by_period: dict[Period, Series],
    periods: dict[FiscalLabel, Period],
    derived: bool,
) -> Metric:
    filed = s.first.filed
    year_ago, quarter_ago = _earlier(label)

    def value_at(other: FiscalLabel | None) -> float | None:
        period = periods.get(other) if other else None
        return by_period[period].as_of(filed) if period and period in by_period else None

    return Metric(
        actual=s.first.value,
        unit=s.unit,
        yoy_growth_pct=_growth_pct(s.first.value, value_at(year_ago)),
        qoq_growth_pct=_growth_pct(s.first.value, value_at(quarter_ago)),
        derived=derived,
        restated_actual=s.restated,
    )


def company_of(companyfacts: dict[str, Any], ticker: str | None) -> Company:
    """The filer: CIK zero-padded to ten digits (given as a number or a string).
    ValueError (one line) when the document names no valid filer."""
    try:
        number = int(str(companyfacts["cik"]))
    except (KeyError, ValueError) as exc:
        raise ValueError(f"no valid 'cik' in the companyfacts document: {exc}") from None
    if not 0 < number < 10**10:
        raise ValueError(f"'cik' {number} is not a CIK (1 to 10 digits)")
    cik = f"{number:010d}"
    name = companyfacts.get("entityName")
    try:
        return Company(ticker=ticker or f"CIK{cik}", name=str(name) if name else None, cik=cik)
    except ValidationError as exc:
        raise ValueError(f"companyfacts {_first_error(exc)}") from None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    return f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"


def _report(
    company: Company,
    label: FiscalLabel,
    period: Period,
    series: SeriesMap,
    periods: dict[FiscalLabel, Period],
    derived: set[Period],
) -> EarningsReported:
    metrics = {
        name: _metric(by_period[period], label, by_period, periods, period in derived)
        for name, by_period in series.items()
        if period in by_period
    }
    first = min(
        (by_period[period].first for by_period in series.values() if period in by_period),
        key=lambda f: f.filed,
    )
    return EarningsReported(
        report_id=f"{SOURCE}:{company.cik}:{label[0]}{label[1]}",
        company=company,
        fiscal_year=label[0],
        fiscal_period=label[1],
        period_end=period[1],
        report_date=first.filed,
        source=SOURCE,
        filing_id=first.accn,
        metrics=metrics,
        reported_at=datetime.combine(first.filed, datetime.min.time(), tzinfo=UTC),
    )


def parse_companyfacts(
    companyfacts: dict[str, Any], ticker: str | None = None
) -> tuple[list[EarningsReported], list[str]]:
    """One report per fiscal quarter and year, oldest first, and the problems met (one line
    each: parts of the document of the wrong type, periods that make no valid report).
    ValueError (one line) when the document is not companyfacts."""
    if not isinstance(companyfacts, dict):
        raise ValueError("a companyfacts document is a JSON object")
    company = company_of(companyfacts, ticker)
    series, problems = all_series(companyfacts)
    periods = fiscal_periods(series)
    derived = derive_q4(series, periods)
    reports = []
    for label, period in sorted(periods.items(), key=lambda item: (item[1][1], item[0][1])):
        try:
            reports.append(_report(company, label, period, series, periods, derived))
        except ValidationError as exc:
            problems.append(f"{company.cik} {label[0]}{label[1]}: skipped: {_first_error(exc)}")
    if not reports:
        problems.append(f"{company.cik}: no quarterly or annual figures found")
    return reports, problems
