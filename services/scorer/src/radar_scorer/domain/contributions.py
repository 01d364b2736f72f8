"""How much one tagged document or one earnings report moves each sector. Pure."""

from collections import defaultdict
from dataclasses import dataclass

from radar_schemas import (
    THEME_SECTORS,
    Contribution,
    DocumentTagged,
    EarningsReported,
    Sector,
    Theme,
    ThemeTag,
)


def _reached(tag: ThemeTag, company_sectors: set[Sector]) -> tuple[Sector, ...]:
    reached = THEME_SECTORS.get(tag.theme) or tuple(sorted(company_sectors))
    if not reached and tag.theme is Theme.TOKEN_USAGE:
        reached = (Sector.AI_INFRA,)
    return reached


def sector_deltas(doc: DocumentTagged, theme_weights: dict[Theme, float]) -> dict[Sector, float]:
    """Per sector the document reaches: Σ over its themes of polarity × confidence × theme
    weight, times source credibility, novelty and the sector's relevance to the document."""
    if not doc.relevant:
        return {}
    relevance = {tag.sector: tag.relevance for tag in doc.sectors}
    company_sectors = {s for entity in doc.entities for s in entity.sectors}
    deltas: dict[Sector, float] = defaultdict(float)
    for tag in doc.themes:
        weight = theme_weights.get(tag.theme, 1.0)
        for sector in _reached(tag, company_sectors):
            if sector in relevance:
                deltas[sector] += tag.polarity.sign * tag.confidence * weight * relevance[sector]
    scale = doc.credibility * doc.novelty / 100
    return {sector: value * scale for sector, value in deltas.items() if value != 0}


def _strongest_theme(doc: DocumentTagged, sector: Sector) -> ThemeTag | None:
    company_sectors = {s for entity in doc.entities for s in entity.sectors}
    tags = [t for t in doc.themes if t.polarity.sign and sector in _reached(t, company_sectors)]
    return max(tags, key=lambda t: (t.confidence, t.theme.value), default=None)


def document_contributions(
    doc: DocumentTagged, theme_weights: dict[Theme, float]
) -> dict[Sector, Contribution]:
    """Each sector's share of the document, with the strongest theme's evidence sentence."""
    shares = {}
    for sector, delta in sector_deltas(doc, theme_weights).items():
        tag = _strongest_theme(doc, sector)
        quote = tag.evidence[0].sentence if tag and tag.evidence else ""
        shares[sector] = Contribution(
            document_id=doc.document_id,
            title=doc.title,
            url=doc.url,
            theme=tag.theme if tag else None,
            delta=delta,
            at=doc.published_at,
            quote=quote[:1000],
        )
    return shares


# How much an unstandardized surprise counts next to a SUE of the same size in units.
UNSTANDARDIZED_FACTOR = 0.5


@dataclass(frozen=True)
class SurpriseUnits:
    """How far a report moves its sectors, in units, and what it was measured with."""

    units: float
    basis: str  # "SUE", or the unstandardized surprise % it came from


def surprise_units(
    report: EarningsReported,
    pct_per_unit: float,
    cap: float,
    unstandardized_factor: float = UNSTANDARDIZED_FACTOR,
) -> SurpriseUnits | None:
    """The standardized surprise (SUE) when the report has one, clipped to ±``cap``. Else
    the EPS surprise %, else the revenue surprise %, over ``pct_per_unit``, clipped to
    ±``cap`` and then times ``unstandardized_factor``: most reports beat, so a surprise
    that cannot be set against the company's own history counts for less."""
    if report.standardized and report.sue is not None:
        return SurpriseUnits(max(-cap, min(cap, report.sue)), "SUE")
    for name, pct in (("EPS", report.eps_surprise_pct), ("revenue", report.revenue_surprise_pct)):
        if pct is not None:
            units = max(-cap, min(cap, pct / pct_per_unit)) * unstandardized_factor
            return SurpriseUnits(units, f"unstandardized {name} surprise {pct:+.1f}%")
    return None


def earnings_contributions(
    report: EarningsReported,
    sectors: tuple[Sector, ...],
    *,
    weight: float,
    pct_per_unit: float,
    cap: float,
    unstandardized_factor: float = UNSTANDARDIZED_FACTOR,
) -> dict[Sector, Contribution]:
    """Each of the company's sectors moves by weight × the report's surprise in units."""
    found = surprise_units(report, pct_per_unit, cap, unstandardized_factor)
    if found is None or not found.units:
        return {}
    ticker = report.company.ticker
    title = f"{ticker} earnings surprise {found.units:+.2f} ({found.basis})"
    return {
        sector: Contribution(
            document_id=report.report_id,
            title=title,
            url=report.url,
            theme=Theme.EARNINGS_RESULT,
            delta=weight * found.units,
            at=report.event_time,
        )
        for sector in sectors
    }
