"""What each rule sees in one message: observations of alert conditions. Pure."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from radar_schemas import (
    AlertEvidence,
    DocumentTagged,
    EarningsReported,
    Sector,
    SectorScored,
    Severity,
)

from .rules import DocumentRule, EarningsRule, ThresholdRule


@dataclass(frozen=True)
class Observation:
    """One rule's condition for one set of labels at one event time. ``fires``: the condition
    holds (an inactive alert starts firing); ``clears``: it is gone (a firing alert resolves).
    Between the two (hysteresis) a firing alert stays firing and an inactive one stays so."""

    rule: str
    labels: dict[str, str]
    at: datetime
    fires: bool
    clears: bool
    severity: Severity
    summary: str
    evidence: tuple[AlertEvidence, ...] = ()
    score: float | None = None
    z: float | None = None
    momentum: float | None = None
    attention: float | None = None
    ends_at: datetime | None = None  # one-shot alerts (a document, a report) end on their own

    @property
    def correlation_ids(self) -> tuple[str, ...]:
        return tuple(e.document_id for e in self.evidence)


def _label(value: str) -> str:
    """A label value of at most 128 characters: long ids are replaced by their hash."""
    if len(value) <= 128:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _metric(rule: ThresholdRule, scored: SectorScored) -> float | None:
    if rule.metric == "attention_ratio":
        base = scored.attention_baseline
        return None if base is None else scored.attention / max(base, 0.1)
    value: float | None = getattr(scored, rule.metric)
    return value


def threshold(rule: ThresholdRule, scored: SectorScored) -> Observation | None:
    """The rule's view of a sector's new figures (None: not watched, or no value yet)."""
    value = _metric(rule, scored)
    if value is None or (rule.sectors and scored.sector not in rule.sectors):
        return None
    loud_enough = scored.attention >= rule.min_attention
    critical = rule.critical_above is not None and value >= rule.critical_above
    return Observation(
        rule=rule.name,
        labels={"sector": scored.sector.value},
        at=scored.as_of,
        fires=loud_enough and value >= rule.fire_above,
        clears=value < rule.resolve_below or not loud_enough,
        severity=Severity.CRITICAL if critical else rule.severity,
        summary=f"{scored.sector.value} {rule.metric} {value:.2f}"
        f" (fires at {rule.fire_above:g}, resolves below {rule.resolve_below:g})",
        evidence=tuple(
            AlertEvidence(
                document_id=c.document_id,
                title=c.title,
                url=c.url,
                quote=c.quote,
                published_at=c.at,
            )
            for c in scored.top_contributors
        ),
        score=scored.score,
        z=scored.z,
        momentum=scored.momentum,
        attention=scored.attention,
    )


def document(rule: DocumentRule, doc: DocumentTagged) -> list[Observation]:
    """One observation per watched sector a high-impact document reaches."""
    sectors = [t.sector for t in doc.sectors if not rule.sectors or t.sector in rule.sectors]
    tags = [t for t in doc.themes if t.theme in rule.themes and t.confidence >= rule.min_confidence]
    if not doc.relevant or not sectors or not tags:
        return []
    tag = max(tags, key=lambda t: (t.confidence, t.theme.value))
    quote = tag.evidence[0].sentence[:1000] if tag.evidence else ""
    evidence = AlertEvidence(
        document_id=doc.document_id,
        title=doc.title,
        url=doc.url,
        quote=quote,
        published_at=doc.published_at,
    )
    return [
        Observation(
            rule=rule.name,
            labels={
                "sector": s.value,
                "theme": tag.theme.value,
                "document": _label(doc.document_id),
            },
            at=doc.published_at,
            fires=True,
            clears=False,
            severity=rule.severity,
            summary=f"{s.value}: high-impact {tag.theme.value} document"
            f" ({tag.polarity.value}, confidence {tag.confidence:.2f})",
            evidence=(evidence,),
            ends_at=doc.published_at + timedelta(seconds=rule.ttl_s),
        )
        for s in sorted(set(sectors))
    ]


def earnings(
    rule: EarningsRule, report: EarningsReported, sectors: tuple[Sector, ...]
) -> list[Observation]:
    """One observation per watched sector of a company whose surprise passes a bound."""
    ticker = report.company.ticker.upper()
    watched = [s for s in sectors if not rule.sectors or s in rule.sectors]
    if (rule.tickers and ticker not in {t.upper() for t in rule.tickers}) or not watched:
        return []
    sue = report.sue if report.standardized else None
    pct = report.eps_surprise_pct if report.eps_surprise_pct is not None else None
    pct = pct if pct is not None else report.revenue_surprise_pct
    big_sue = sue is not None and abs(sue) >= rule.min_abs_sue
    big_pct = pct is not None and abs(pct) >= rule.min_abs_surprise_pct
    if not (big_sue or big_pct):
        return []
    at = datetime.combine(report.report_date, time(0), tzinfo=UTC)
    figure = f"SUE {sue:+.2f}" if big_sue and sue is not None else f"surprise {pct:+.1f}%"
    evidence = AlertEvidence(
        document_id=report.report_id, title=f"{ticker} earnings, {figure}", url=report.url
    )
    return [
        Observation(
            rule=rule.name,
            labels={"sector": s.value, "ticker": ticker},
            at=at,
            fires=True,
            clears=False,
            severity=rule.severity,
            summary=f"{ticker} earnings {figure} ({s.value})",
            evidence=(evidence,),
            ends_at=at + timedelta(seconds=rule.ttl_s),
        )
        for s in sorted(set(watched))
    ]
