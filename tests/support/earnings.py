"""EarningsReported payloads for scorer and alerter tests."""

from datetime import date

from radar_schemas import Company, EarningsReported
from radar_schemas.earnings import Metric, MetricName


def make_report(
    ticker: str = "EA",
    *,
    report_id: str = "r-1",
    report_date: date = date(2026, 11, 18),
    eps_surprise_pct: float | None = None,
    sue: float | None = None,
    revenue_surprise_pct: float | None = None,
) -> EarningsReported:
    """A report whose EPS and revenue metrics carry the given surprises."""
    metrics: dict[MetricName, Metric] = {}
    if eps_surprise_pct is not None or sue is not None:
        metrics[MetricName.EPS] = Metric(
            surprise_pct=eps_surprise_pct, sue=sue, standardized=sue is not None
        )
    if revenue_surprise_pct is not None:
        metrics[MetricName.REVENUE] = Metric(surprise_pct=revenue_surprise_pct)
    return EarningsReported(
        report_id=report_id,
        company=Company(ticker=ticker),
        report_date=report_date,
        source="test",
        metrics=metrics,
    )
