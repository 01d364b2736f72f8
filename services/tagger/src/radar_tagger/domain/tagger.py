"""Tagging one document: themes with polarity and evidence, companies, sectors, sentiment.

Pure: text in, tags out. Cues come from the taxonomy file; one automaton finds them all.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from radar_reference import CompanyRecord, ReferenceData
from radar_schemas import (
    THEME_SECTORS,
    EntityTag,
    Evidence,
    Polarity,
    Sector,
    SectorTag,
    Theme,
    ThemeTag,
)

from .matcher import Hit, Matcher
from .taxonomy import Taxonomy

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(A-Z0-9])")
_COMPANY_CONTEXT = re.compile(
    r"\b(inc|corp|corporation|ltd|plc|shares?|stock|company|ceo|earnings|reported|technologies|"
    r"software|platforms|nasdaq|nyse)\b|'s\b",
    re.I,
)
# Themes that reach no sector of their own reach the named companies' sectors instead.
_NEGATION_WINDOW = 24  # characters before a polarity cue in which a negation flips it
MAX_EVIDENCE = 3


@dataclass(frozen=True)
class Segment:
    text: str
    start: int  # offset in the title (in_title) or in the body text
    in_title: bool
    first: bool  # the headline or the first sentence of the body


@dataclass
class TagResult:
    themes: list[ThemeTag]
    entities: list[EntityTag]
    sectors: list[SectorTag]
    sentiment: Polarity
    relevant: bool


@dataclass
class _ThemeVotes:
    score: float = 0.0
    confidence: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)


def segments(title: str, text: str) -> list[Segment]:
    """The headline, then each sentence of the body, with offsets."""
    out = [Segment(title, 0, True, True)] if title.strip() else []
    position = 0
    for index, sentence in enumerate(_SENTENCE_END.split(text)):
        start = text.find(sentence, position)
        position = start + len(sentence)
        if sentence.strip():
            out.append(Segment(sentence, start, False, index == 0))
    return out


class Tagger:
    """Tags documents with the signals of one taxonomy."""

    def __init__(self, taxonomy: Taxonomy, reference: ReferenceData) -> None:
        self.taxonomy = taxonomy
        self.companies = reference.by_id
        phrases: list[tuple[str, str, str]] = []
        for theme, spec in taxonomy.themes.items():
            phrases += [(cue, "theme", theme.value) for cue in spec.cues]
        cues = taxonomy.polarity
        for kind, words in (
            ("positive", cues.positive),
            ("negative", cues.negative),
            ("negation", cues.negations),
            ("hedge", cues.hedges),
        ):
            phrases += [(word, kind, word) for word in words]
        for company in reference.companies:
            phrases += [(alias, "company", company.id) for alias in company.aliases]
        phrases += [(word, "context", word) for word in taxonomy.ai_context]
        self.matcher = Matcher(phrases)

    def tag(self, title: str, text: str) -> TagResult:
        parts = segments(title, text)
        hits = [(segment, list(self.matcher.find(segment.text))) for segment in parts]
        if not any(h.kind == "context" for _, found in hits for h in found):
            return TagResult([], self._entities(hits), [], Polarity.NEUTRAL, False)
        votes: dict[Theme, _ThemeVotes] = defaultdict(_ThemeVotes)
        for segment, found in hits:
            self._vote(segment, found, votes)
        themes = [self._theme_tag(theme, v) for theme, v in votes.items()]
        entities = self._entities(hits)
        sectors = self._sectors(themes, entities)
        total = sum(t.polarity.sign * t.confidence for t in themes)
        sentiment = (
            Polarity.POSITIVE
            if total > 0.2
            else Polarity.NEGATIVE
            if total < -0.2
            else Polarity.NEUTRAL
        )
        return TagResult(themes, entities, sectors, sentiment, bool(themes))

    def _vote(self, segment: Segment, found: list[Hit], votes: dict[Theme, _ThemeVotes]) -> None:
        themes = {Theme(h.key) for h in found if h.kind == "theme"}
        if not themes:
            return
        direction = _direction(found)
        hedged = any(h.kind == "hedge" for h in found)
        confidence = (0.75 if segment.in_title else 0.6) * (0.6 if hedged else 1.0)
        evidence = Evidence(
            sentence=segment.text,
            start=segment.start,
            end=segment.start + len(segment.text),
            in_title=segment.in_title,
        )
        for theme in themes:
            vote = votes[theme]
            weight = self.taxonomy.themes[theme].weight * (1.5 if segment.in_title else 1.0)
            vote.score += direction * weight
            vote.confidence = min(
                0.95, max(vote.confidence, confidence) + 0.05 * bool(vote.evidence)
            )
            if len(vote.evidence) < MAX_EVIDENCE:
                vote.evidence.append(evidence)

    @staticmethod
    def _theme_tag(theme: Theme, vote: _ThemeVotes) -> ThemeTag:
        polarity = (
            Polarity.POSITIVE
            if vote.score > 0
            else Polarity.NEGATIVE
            if vote.score < 0
            else Polarity.NEUTRAL
        )
        return ThemeTag(
            theme=theme,
            polarity=polarity,
            confidence=round(vote.confidence, 3),
            evidence=tuple(vote.evidence),
        )

    def _entities(self, hits: list[tuple[Segment, list[Hit]]]) -> list[EntityTag]:
        mentions: dict[str, list[bool]] = defaultdict(list)  # company id -> [prominent?]
        for segment, found in hits:
            for hit in found:
                if hit.kind == "company" and self._counts(hit, segment):
                    mentions[hit.key].append(segment.first)
        crowd = max(1.0, len(mentions) / 3)  # a round-up naming many companies dilutes each
        tags = []
        for company_id, prominent in mentions.items():
            company = self.companies[company_id]
            relevance = (0.5 + 0.3 * any(prominent) + 0.1 * (len(prominent) - 1)) / crowd
            tags.append(
                EntityTag(
                    entity_id=company.id,
                    name=company.name,
                    relevance=round(min(1.0, relevance), 3),
                    sectors=tuple(company.sectors),
                )
            )
        return sorted(tags, key=lambda t: -t.relevance)

    def _counts(self, hit: Hit, segment: Segment) -> bool:
        company: CompanyRecord = self.companies[hit.key]
        surface = segment.text[hit.start : hit.end]
        if surface not in company.ambiguous and surface.lower() not in {
            a.lower() for a in company.ambiguous
        }:
            return True
        # A common word ("Unity", "Meta") counts only capitalised and in company context.
        return surface in company.ambiguous and bool(_COMPANY_CONTEXT.search(segment.text))

    @staticmethod
    def _sectors(themes: list[ThemeTag], entities: list[EntityTag]) -> list[SectorTag]:
        relevance: dict[Sector, float] = defaultdict(float)
        for tag in themes:
            direct = THEME_SECTORS.get(tag.theme, ())
            for sector in direct:
                relevance[sector] = max(relevance[sector], tag.confidence)
            if not direct:
                reached = [(s, e.relevance * tag.confidence) for e in entities for s in e.sectors]
                if not reached and tag.theme is Theme.TOKEN_USAGE:
                    reached = [(Sector.AI_INFRA, tag.confidence)]
                for sector, value in reached:
                    relevance[sector] = max(relevance[sector], value)
        return [
            SectorTag(sector=s, relevance=round(min(1.0, r), 3))
            for s, r in sorted(relevance.items(), key=lambda kv: -kv[1])
        ]


def _direction(found: list[Hit]) -> int:
    """+1, -1 or 0 from the polarity cues of one sentence, a preceding negation flipping each."""
    negations = [h for h in found if h.kind == "negation"]
    total = 0
    for hit in found:
        if hit.kind not in ("positive", "negative"):
            continue
        sign = 1 if hit.kind == "positive" else -1
        if any(0 <= hit.start - n.end <= _NEGATION_WINDOW for n in negations):
            sign = -sign if sign < 0 else 0  # "did not raise" is not positive; not a decline
        total += sign
    return (total > 0) - (total < 0)
