"""Sectors a document reaches: through its themes, else through the companies it names."""

from collections import defaultdict

from radar_schemas import EntityTag, Sector, SectorTag, ThemeTag

from .entities import MEASURED_RELEVANCE
from .taxonomy import Taxonomy


def sectors_of(
    taxonomy: Taxonomy, themes: list[ThemeTag], entities: list[EntityTag]
) -> list[SectorTag]:
    """Sectors with relevance.

    A theme with sectors of its own says which business the document is about (every such
    theme is an AI theme). Then a company whose business those sectors already cover adds
    nothing (Meta's ad results beside AI marketing are marketing news), and any other
    company reached through a theme that reaches companies adds its AI business alone
    (`ai_infra`, when it is in that business): a copyright suit against Microsoft reaches
    `ip_media` through AI+IP and `ai_infra` through the lawsuit, not Microsoft's games.
    Otherwise themes that reach companies take the named companies' sectors (limited by
    only_sectors), or the theme's default sectors when no company is named. A company only
    measured against ("a rival to Nvidia") reaches nothing. (`make cv`: sector F1 0.724 ->
    0.744; 0.747 with the covered companies adding `ai_infra` too, against the guideline.)
    """
    relevance: dict[Sector, float] = defaultdict(float)
    for tag in themes:
        for sector in taxonomy.themes[tag.theme].direct_sectors(tag.theme):
            relevance[sector] = max(relevance[sector], tag.confidence)
    named = [e for e in entities if e.relevance > MEASURED_RELEVANCE]
    if relevance:
        others = [e for e in named if not relevance.keys() & set(e.sectors)]
        for tag in themes:
            for sector, value in _via_companies(taxonomy, tag, others, defaults=False):
                if sector is Sector.AI_INFRA:
                    relevance[sector] = max(relevance[sector], value)
    else:
        for tag in themes:
            for sector, value in _via_companies(taxonomy, tag, named):
                relevance[sector] = max(relevance[sector], value)
    return [
        SectorTag(sector=s, relevance=round(min(1.0, r), 3))
        for s, r in sorted(relevance.items(), key=lambda kv: -kv[1])
    ]


def _via_companies(
    taxonomy: Taxonomy, tag: ThemeTag, entities: list[EntityTag], defaults: bool = True
) -> list[tuple[Sector, float]]:
    spec = taxonomy.themes[tag.theme]
    if not spec.via_companies:
        return []
    allowed = set(spec.only_sectors) if spec.only_sectors is not None else set(Sector)
    reached = [
        (sector, entity.relevance * tag.confidence)
        for entity in entities
        for sector in entity.sectors
        if sector in allowed
    ]
    if reached or not defaults:
        return reached
    return [(sector, tag.confidence) for sector in spec.default_sectors]
