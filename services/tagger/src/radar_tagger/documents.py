"""From an ingested document to its DocumentTagged payload."""

from radar_schemas import TAXONOMY_VERSION, DocumentTagged, NewsItemIngested

from . import TAGGER_VERSION
from .domain.tagger import Tagger


def tag_document(tagger: Tagger, item: NewsItemIngested) -> DocumentTagged:
    result = tagger.tag(item.title, item.text)
    return DocumentTagged(
        document_id=item.item_id,
        kind=item.kind,
        source=item.source,
        title=item.title,
        url=item.url,
        published_at=item.published_at,
        published_day_only=item.published_day_only,
        credibility=item.credibility,
        novelty=item.novelty,
        story_id=item.story_id,
        themes=tuple(result.themes),
        entities=tuple(result.entities),
        sectors=tuple(result.sectors),
        quantities=tuple(result.quantities),
        sentiment=result.sentiment,
        relevant=result.relevant,
        taxonomy_version=f"{TAXONOMY_VERSION}/{tagger.taxonomy.version}",
        tagger_version=TAGGER_VERSION,
    )
