"""How much one tagged document moves each sector. Pure."""

from collections import defaultdict

from radar_schemas import THEME_SECTORS, DocumentTagged, Sector, Theme


def sector_deltas(doc: DocumentTagged, theme_weights: dict[Theme, float]) -> dict[Sector, float]:
    """Per sector the document reaches: Σ over its themes of polarity × confidence × theme
    weight, times source credibility, novelty and the sector's relevance to the document."""
    if not doc.relevant:
        return {}
    relevance = {tag.sector: tag.relevance for tag in doc.sectors}
    company_sectors = {s for entity in doc.entities for s in entity.sectors}
    deltas: dict[Sector, float] = defaultdict(float)
    for tag in doc.themes:
        reached = THEME_SECTORS.get(tag.theme) or tuple(company_sectors)
        if not reached and tag.theme is Theme.TOKEN_USAGE:
            reached = (Sector.AI_INFRA,)
        weight = theme_weights.get(tag.theme, 1.0)
        for sector in reached:
            if sector in relevance:
                deltas[sector] += tag.polarity.sign * tag.confidence * weight * relevance[sector]
    scale = doc.credibility * doc.novelty / 100
    return {sector: value * scale for sector, value in deltas.items() if value != 0}
