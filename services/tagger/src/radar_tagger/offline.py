"""The offline interface: one JSON object in (id, and text or title or both), one JSON row
out."""

from typing import Any

from radar_schemas import TAXONOMY_VERSION
from radar_schemas.jsondoc import document_row_problem

from . import TAGGER_VERSION
from .domain.tagger import Tagger


def tag_row(tagger: Tagger, row: dict[str, Any]) -> dict[str, Any]:
    """The `radar tag` output for one input row: compact labels first, then the detail."""
    # What `radar replay` of JSON lines skips, in its words; and an id or text that JSON
    # gives as something else than a string or a number
    if not isinstance(row.get("id"), str | int):
        raise ValueError("no id")
    problem = document_row_problem(row)
    if problem:
        raise ValueError(problem)
    title, text = str(row.get("title") or ""), row.get("text") or ""
    if not isinstance(text, str):
        raise ValueError("'text' is not a string")
    result = tagger.tag(title, text)
    return {
        "id": row["id"],
        "themes": {t.theme.value: t.polarity.value for t in result.themes},
        "sectors": [s.sector.value for s in result.sectors],
        "entities": [e.entity_id for e in result.entities],
        "relevant": result.relevant,
        "sentiment": result.sentiment.value,
        "confidence": {t.theme.value: t.confidence for t in result.themes},
        "evidence": {
            t.theme.value: [e.model_dump(mode="json") for e in t.evidence] for t in result.themes
        },
        "entity_relevance": {e.entity_id: e.relevance for e in result.entities},
        "sector_relevance": {s.sector.value: s.relevance for s in result.sectors},
        "quantities": [q.model_dump(mode="json") for q in result.quantities],
        "taxonomy_version": f"{TAXONOMY_VERSION}/{tagger.taxonomy.version}",
        "tagger_version": TAGGER_VERSION,
    }
