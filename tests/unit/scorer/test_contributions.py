"""How one tagged document moves sector scores."""

from datetime import UTC, datetime

import pytest

from radar_schemas import (
    DocumentTagged,
    EntityTag,
    Polarity,
    Sector,
    SectorTag,
    Theme,
    ThemeTag,
)
from radar_scorer.domain.contributions import sector_deltas

AT = datetime(2026, 11, 20, tzinfo=UTC)


def doc(**changes: object) -> DocumentTagged:
    values: dict[str, object] = {
        "document_id": "d",
        "source": "s",
        "title": "t",
        "published_at": AT,
        "credibility": 0.8,
        "novelty": 100,
        "relevant": True,
        "themes": (ThemeTag(theme=Theme.AI_GAMING, polarity=Polarity.POSITIVE, confidence=0.75),),
        "sectors": (SectorTag(sector=Sector.GAMING, relevance=1.0),),
        "taxonomy_version": "1",
        "tagger_version": "t",
    }
    values.update(changes)
    return DocumentTagged(**values)  # type: ignore[arg-type]


def test_delta_is_polarity_confidence_credibility_novelty_relevance() -> None:
    assert sector_deltas(doc(), {}) == {Sector.GAMING: 0.75 * 0.8}
    halved = sector_deltas(doc(novelty=50), {Theme.AI_GAMING: 2.0})
    assert halved == {Sector.GAMING: pytest.approx(0.75 * 2.0 * 0.8 * 0.5)}


def test_negative_and_neutral_themes() -> None:
    negative = ThemeTag(theme=Theme.AI_GAMING, polarity=Polarity.NEGATIVE, confidence=0.5)
    neutral = ThemeTag(theme=Theme.AI_GAMING, polarity=Polarity.NEUTRAL, confidence=0.9)
    assert sector_deltas(doc(themes=(negative,)), {})[Sector.GAMING] < 0
    assert sector_deltas(doc(themes=(neutral,)), {}) == {}


def test_sectorless_theme_reaches_the_named_companies_sectors() -> None:
    rating = ThemeTag(theme=Theme.ANALYST_RATING, polarity=Polarity.POSITIVE, confidence=0.5)
    entity = EntityTag(
        entity_id="EA", name="Electronic Arts", relevance=1.0, sectors=(Sector.GAMING,)
    )
    assert sector_deltas(doc(themes=(rating,), entities=(entity,)), {}) == {Sector.GAMING: 0.4}


def test_irrelevant_documents_move_nothing() -> None:
    assert sector_deltas(doc(relevant=False), {}) == {}
