"""Earnings messages.

Other services read only ``report_id``, ``company`` and ``report_date``; the metrics are the
evidence. A bare beat is weak evidence: about 70% of reports beat consensus, so a surprise
counts for more when ``standardized`` is true and ``sue`` says how unusual it was for the
company.
"""

from datetime import UTC, date, datetime, time
from enum import StrEnum

from pydantic import AwareDatetime, Field

from .base import Ident, Label, Message, Title, Url


class ReportTime(StrEnum):
    """When in the trading day results were published."""

    BEFORE_OPEN = "bmo"
    AFTER_CLOSE = "amc"
    UNKNOWN = "unknown"


class MetricName(StrEnum):
    """The reported figures earnings ingest knows."""

    REVENUE = "revenue"
    NET_INCOME = "net_income"
    OPERATING_INCOME = "operating_income"
    GROSS_PROFIT = "gross_profit"
    EPS_BASIC = "eps_basic"
    EPS_DILUTED = "eps_diluted"
    EPS = "eps"  # as an earnings calendar reports it: the consensus basis, often adjusted


class Company(Message):
    """A company as earnings data names it."""

    ticker: Label = Field(description="Ticker; 'CIK' and the CIK for an SEC filer not known")
    name: Title | None = None
    cik: Label | None = Field(default=None, description="SEC CIK, ten digits zero-padded")


class Metric(Message):
    """One figure for one period: the actual, the consensus and what follows from them.

    ``surprise`` is actual − estimate in ``unit``; ``surprise_pct`` divides it by |estimate|.
    ``sue`` divides it by the standard deviation of the company's last 8 quarterly surprises,
    only when that history exists (``standardized``). Growth compares the actual with the
    same figure a year and a quarter before, as known when this one was reported.
    """

    actual: float | None = None
    estimate: float | None = None
    unit: Label | None = Field(default=None, description="USD, USD/shares, ...")
    surprise: float | None = None
    surprise_pct: float | None = None
    sue: float | None = Field(default=None, description="Standardized unexpected earnings")
    standardized: bool = Field(default=False, description="True when sue could be computed")
    yoy_growth_pct: float | None = None
    qoq_growth_pct: float | None = None
    derived: bool = Field(default=False, description="Q4 computed as FY − Q1 − Q2 − Q3")
    restated_actual: float | None = Field(
        default=None, description="A later filing's different value; actual stays as first filed"
    )


class Guidance(Message):
    """A target the company gave for a later period."""

    metric: MetricName
    period: Label = Field(description="The period the target is for, e.g. Q2 FY2023")
    low: float | None = None
    high: float | None = None
    unit: Label | None = None


class EarningsReported(Message):
    """Reported results for one company and fiscal period, with consensus where known.

    The event time (envelope ``occurred_at``) is ``reported_at`` when known, else the start
    of ``report_date`` in UTC.
    """

    report_id: Ident = Field(description="Deterministic: company, period and source")
    company: Company
    fiscal_year: int | None = Field(default=None, ge=1900, le=2200)
    fiscal_period: Label | None = Field(default=None, description="Q1..Q4 or FY")
    period_end: date | None = None
    report_date: date
    report_time: ReportTime = ReportTime.UNKNOWN
    source: Label
    url: Url | None = None
    filing_id: Label | None = Field(default=None, description="SEC accession number")
    currency: Label | None = Field(
        default=None,
        description="ISO 4217 code of the amounts (CNY, HKD, USD); null: USD as SEC filings "
        "and US calendars give them",
    )
    metrics: dict[MetricName, Metric] = Field(default_factory=dict)
    guidance: tuple[Guidance, ...] = ()
    reported_at: AwareDatetime | None = None

    @property
    def event_time(self) -> datetime:
        """When the results were made public: ``reported_at`` when the source says it (an SEC
        filing's date, a press release's dateline), else ``report_date`` 00:00 UTC. The one
        rule for every producer of ``earnings.reported`` (the calendar, SEC and text pollers,
        ``radar replay``) and for the scorer and the alerter that read them: it never depends
        on when the report was read, so a replay in any order or a year later agrees."""
        return self.reported_at or datetime.combine(self.report_date, time(0), tzinfo=UTC)

    # The headline surprise, read by the scorer and the alerter: EPS as the calendar reports
    # it (the consensus basis), else diluted, else basic EPS; revenue separately.
    @property
    def eps_metric(self) -> Metric | None:
        for name in (MetricName.EPS, MetricName.EPS_DILUTED, MetricName.EPS_BASIC):
            metric = self.metrics.get(name)
            if metric is not None and metric.surprise_pct is not None:
                return metric
        return None

    @property
    def standardized(self) -> bool:
        """True when the headline EPS surprise is standardized (SUE from a history)."""
        metric = self.eps_metric
        return metric is not None and metric.standardized and metric.sue is not None

    @property
    def sue(self) -> float | None:
        metric = self.eps_metric
        return metric.sue if metric is not None and metric.standardized else None

    @property
    def eps_surprise_pct(self) -> float | None:
        metric = self.eps_metric
        return metric.surprise_pct if metric is not None else None

    @property
    def revenue_surprise_pct(self) -> float | None:
        metric = self.metrics.get(MetricName.REVENUE)
        return metric.surprise_pct if metric is not None else None
