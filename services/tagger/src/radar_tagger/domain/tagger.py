"""Tagging one document: themes with polarity and evidence, companies, sectors, quantities.

Pure: text in, tags out. Cues come from the taxonomy file; one automaton finds them all.
"""

from bisect import bisect_right
from dataclasses import dataclass

from radar_reference import ReferenceData
from radar_schemas import EntityTag, Polarity, Quantity, Sector, SectorTag, Theme, ThemeTag

from .entities import EntityFinder
from .matcher import Hit, Matcher
from .quantities import quantities
from .sectors import sectors_of
from .taxonomy import Requirement, Taxonomy, TaxonomyError
from .text import Segment, segments
from .themes import ThemeFinder, Votes

MAX_FOCUSED_SECTORS = 2  # a company in more sectors is a conglomerate: its sector says little
SENTIMENT_THRESHOLD = 0.2
# Hit kinds without which no theme can be found: cues, and companies (subject themes).
_CAN_FIND = frozenset(
    {"cue", "with_ai", "group", "company", "ticker"}
)  # net confidence-weighted polarity needed to call a document's mood


@dataclass
class TagResult:
    """Everything the tagger found in one document."""

    themes: list[ThemeTag]
    entities: list[EntityTag]
    sectors: list[SectorTag]
    quantities: list[Quantity]
    sentiment: Polarity
    relevant: bool


class Tagger:
    """Tags documents with the signals of one taxonomy."""

    def __init__(self, taxonomy: Taxonomy, reference: ReferenceData) -> None:
        unknown = {
            company
            for spec in taxonomy.themes.values()
            for company in spec.companies
            if company not in reference.by_id
        }
        if unknown:
            raise TaxonomyError(f"themes.*.companies: not in the reference data: {sorted(unknown)}")
        self.taxonomy = taxonomy
        self.themes = ThemeFinder(taxonomy)
        self.entities = EntityFinder(reference)
        self.companies = reference.by_id
        self.matcher = Matcher(self.themes.phrases() + EntityFinder.phrases(reference))

    def tag(self, title: str, text: str) -> TagResult:
        """Themes, entities, sectors, quantities and sentiment of one document."""
        parts = self._read(title, text)
        if not any(h.kind in _CAN_FIND for _, hits in parts for h in hits):
            return TagResult([], [], [], [], Polarity.NEUTRAL, False)  # most general news
        mentions = self.entities.mentions(parts)
        subjects = {c for c, where in mentions.items() if any(s.first for s in where)}
        ai_flags = self._speaks_of_ai(parts, mentions)
        votes = self.themes.votes(parts, ai_flags, subjects, self._focus(subjects))
        votes = {t: v for t, v in votes.items() if self._allowed(t, ai_flags, subjects)}
        if not votes:
            return TagResult([], [], [], [], Polarity.NEUTRAL, False)
        themes = [self.themes.tag(theme, vote) for theme, vote in votes.items()]
        entities = self.entities.tags(mentions)
        found = quantities(text) if text.strip() else quantities(title, in_title=True)
        return TagResult(
            themes=themes,
            entities=entities,
            sectors=sectors_of(self.taxonomy, themes, entities),
            quantities=found,
            sentiment=_sentiment(themes),
            relevant=True,
        )

    def _speaks_of_ai(
        self, parts: list[tuple[Segment, list[Hit]]], mentions: dict[str, list[Segment]]
    ) -> list[bool]:
        """Per segment: an AI term, or a focused private company (an AI lab) named in it."""
        labs = [
            id(segment)
            for company_id, where in mentions.items()
            if self.companies[company_id].ticker is None
            and len(self.companies[company_id].sectors) <= MAX_FOCUSED_SECTORS
            for segment in where
        ]
        return [any(h.kind == "ai" for h in hits) or id(s) in labs for s, hits in parts]

    def _focus(self, subjects: set[str]) -> set[Sector]:
        """The main sector of each focused subject company (one or two sectors in all)."""
        sectors = [self.companies[c].sectors for c in subjects]
        return {s[0] for s in sectors if 0 < len(s) <= MAX_FOCUSED_SECTORS}

    def _allowed(self, theme: Theme, ai_flags: list[bool], subjects: set[str]) -> bool:
        requirement = self.taxonomy.themes[theme].requires
        if any(ai_flags):
            return True
        return requirement is Requirement.AI_OR_COMPANY and bool(subjects)

    def _read(self, title: str, text: str) -> list[tuple[Segment, list[Hit]]]:
        """Each segment with the hits inside it (offsets relative to the segment)."""
        parts = segments(title, text)
        out: list[tuple[Segment, list[Hit]]] = [(s, []) for s in parts]
        body_index = [i for i, s in enumerate(parts) if not s.in_title]
        starts = [parts[i].start for i in body_index]
        if title.strip():
            out[0][1].extend(self.matcher.find(title))
        for hit in self.matcher.find(text) if starts else ():
            position = bisect_right(starts, hit.start) - 1
            if position < 0:
                continue  # before the first sentence: only whitespace lives there
            index = body_index[position]
            segment = parts[index]
            if hit.end <= segment.start + len(segment.text):  # never across two sentences
                shift = segment.start
                out[index][1].append(Hit(hit.kind, hit.key, hit.start - shift, hit.end - shift))
        return out


def _sentiment(themes: list[ThemeTag]) -> Polarity:
    total = sum(t.polarity.sign * t.confidence for t in themes)
    if total > SENTIMENT_THRESHOLD:
        return Polarity.POSITIVE
    if total < -SENTIMENT_THRESHOLD:
        return Polarity.NEGATIVE
    return Polarity.NEUTRAL


__all__ = ["Segment", "TagResult", "Tagger", "Votes", "segments"]
