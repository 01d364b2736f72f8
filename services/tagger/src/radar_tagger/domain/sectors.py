"""Sectors a document reaches: through its themes, else through the companies it names."""

from collections import defaultdict

from radar_schemas import EntityTag, Sector, SectorTag, ThemeTag

from .taxonomy import Taxonomy


def sectors_of(
    taxonomy: Taxonomy, themes: list[ThemeTag], entities: list[EntityTag]
) -> list[SectorTag]:
    """Sectors with relevance.

    A theme with sectors of its own says which business the document is about; then the
    named companies add nothing (a company lists every business it is in). Otherwise themes
    that reach companies take the named companies' sectors (limited by only_sectors), or the
    theme's default sectors when no company is named.
    """
    relevance: dict[Sector, float] = defaultdict(float)
    for tag in themes:
        for sector in taxonomy.themes[tag.theme].direct_sectors(tag.theme):
            relevance[sector] = max(relevance[sector], tag.confidence)
    if not relevance:
        for tag in themes:
            for sector, value in _via_companies(taxonomy, tag, entities):
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
    reached = [
        (sector, entity.relevance * tag.confidence)
        for entity in entities
        for sector in entity.sectors
        if sector in allowed
    ]
    return reached or [(sector, tag.confidence) for sector in spec.default_sectors]
