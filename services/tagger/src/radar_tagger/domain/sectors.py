"""Sectors a document reaches: through its themes, and through the companies it names."""

from collections import defaultdict

from radar_schemas import EntityTag, Sector, SectorTag, ThemeTag

from .taxonomy import Taxonomy


def sectors_of(
    taxonomy: Taxonomy, themes: list[ThemeTag], entities: list[EntityTag]
) -> list[SectorTag]:
    """Sectors with relevance, per the taxonomy's rules.

    A theme with sectors of its own reaches them (relevance: its confidence). A theme that
    reaches companies (via_companies: results, ratings, AI revenue, regulation, token usage)
    reaches the sectors of every company the document names, whatever other themes it has
    (relevance: the company's relevance times the theme's confidence), limited by
    only_sectors; when the document names no company, the theme's default_sectors
    (token usage: ai_infra).
    """
    relevance: dict[Sector, float] = defaultdict(float)
    for tag in themes:
        reached = [
            (s, tag.confidence) for s in taxonomy.themes[tag.theme].direct_sectors(tag.theme)
        ]
        for sector, value in reached + _via_companies(taxonomy, tag, entities):
            relevance[sector] = max(relevance[sector], value)
    return [
        SectorTag(sector=s, relevance=round(min(1.0, r), 3))
        for s, r in sorted(relevance.items(), key=lambda kv: -kv[1])
    ]


def _via_companies(
    taxonomy: Taxonomy, tag: ThemeTag, entities: list[EntityTag]
) -> list[tuple[Sector, float]]:
    spec = taxonomy.themes[tag.theme]
    if not spec.via_companies:
        return []
    allowed = set(spec.only_sectors) if spec.only_sectors is not None else set(Sector)
    if not entities:
        return [(sector, tag.confidence) for sector in spec.default_sectors]
    return [
        (sector, entity.relevance * tag.confidence)
        for entity in entities
        for sector in entity.sectors
        if sector in allowed
    ]
