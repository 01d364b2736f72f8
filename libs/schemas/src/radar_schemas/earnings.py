"""Earnings messages."""

from datetime import date
from enum import StrEnum

from pydantic import AwareDatetime, Field

from .base import Ident, Label, Message, Title, Url


class ReportTime(StrEnum):
    """When in the trading day results were published."""

    BEFORE_OPEN = "bmo"
    AFTER_CLOSE = "amc"
    UNKNOWN = "unknown"


class Company(Message):
    """A company as earnings data names it."""

    ticker: Label
    name: Title | None = None
    cik: Label | None = Field(default=None, description="SEC CIK, ten digits zero-padded")


class EarningsReported(Message):
    """Reported results for one company and fiscal period, with consensus where known."""

    report_id: Ident = Field(description="Deterministic: company, period and source")
    company: Company
    fiscal_year: int | None = Field(default=None, ge=1900, le=2200)
    fiscal_period: Label | None = Field(default=None, description="Q1..Q4 or FY")
    period_end: date | None = None
    report_date: date
    report_time: ReportTime = ReportTime.UNKNOWN
    source: Label
    url: Url | None = None
    eps_actual: float | None = None
    eps_estimate: float | None = None
    revenue_actual: float | None = None
    revenue_estimate: float | None = None
    eps_surprise_pct: float | None = None
    revenue_surprise_pct: float | None = None
    sue: float | None = Field(default=None, description="Standardized unexpected earnings")
    standardized: bool = Field(
        default=False, description="True when sue is computed from a surprise history"
    )
    reported_at: AwareDatetime | None = None
