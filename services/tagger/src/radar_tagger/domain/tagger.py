"""Tagging one document: themes with polarity and evidence, companies, sectors, quantities.

Pure: text in, tags out. Cues come from the taxonomy file; one automaton finds them all.
"""

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from radar_reference import CompanyRecord, ReferenceData
from radar_schemas import EntityTag, Polarity, Quantity, Sector, SectorTag, Theme, ThemeTag

from .entities import EntityFinder, is_plain_word
from .features import mood_feature, rule_features, sentence_features
from .learned import LearnedThemes
from .matcher import Hit, Matcher, new_hit
from .model import TaggerModel
from .quantities import quantities
from .ratings import RATING_TERMS, rating_direction
from .sectors import sectors_of, segments_named
from .taxonomy import Requirement, Taxonomy, TaxonomyError
from .text import Segment, segments
from .themes import ThemeFinder, Votes

MAX_FOCUSED_SECTORS = 2  # a company in more sectors is a conglomerate: its sector says little
SENTIMENT_THRESHOLD = 0.2
# A sentence about a rating or a price target: its broker is not what its figures are of.
_RATING_WORDS = re.compile(rf"{RATING_TERMS}|\b(?:upside|downside|rating)\b", re.I)
# Hit kinds without which no theme can be found: cues, and companies (subject themes).
_NAMES = frozenset({"company", "ticker"})
_CUES = frozenset({"cue", "with_ai", "group", "tpos", "tneg"})
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


@dataclass
class Reading:
    """What the rules see in a document: segments with their hits, companies, AI context
    and the rules' votes per theme."""

    parts: list[tuple[Segment, list[Hit]]]
    mentions: dict[str, list[Segment]]
    subjects: set[str]
    ai_flags: list[bool]
    votes: dict[Theme, Votes]
    measured: frozenset[str] = frozenset()  # companies named only as what others rival


class Tagger:
    """Tags documents with the signals of one taxonomy: the rules alone, or the rules and a
    learned model over their findings and the words of the text."""

    def __init__(
        self, taxonomy: Taxonomy, reference: ReferenceData, model: TaggerModel | None = None
    ) -> None:
        unknown = {
            company
            for spec in taxonomy.themes.values()
            for company in spec.companies
            if company not in reference.by_id
        }
        if unknown:
            raise TaxonomyError(f"themes.*.companies: not in the reference data: {sorted(unknown)}")
        self.taxonomy = taxonomy
        self.reference = reference
        self.themes = ThemeFinder(taxonomy)
        self.entities = EntityFinder(reference)
        self.companies = reference.by_id
        self.matcher = Matcher(self.themes.phrases() + EntityFinder.phrases(reference))
        self.model = model
        self.learned = (
            LearnedThemes(model, self.themes, self.permits) if model is not None else None
        )

    def tag(self, title: str, text: str) -> TagResult:
        """Themes, entities, sectors, quantities and sentiment of one document."""
        reading = self.read(title, text)
        if self.learned is not None:
            findings = self.findings(reading)
            themes, sentiment = self.learned.read(self.sentences(reading), findings, reading)
            themes = _rated(themes, title, text)
        else:
            # the rules' sentiment follows the themes' directions, a rating's as rated
            votes = reading.votes.items()
            themes = _rated([self.themes.tag(t, vote) for t, vote in votes], title, text)
            sentiment = _sentiment(themes)
        if not themes:
            # Not relevant and in no sector, but a document that speaks of AI still names
            # its companies and states its figures; nothing downstream scores it.
            if not reading.mentions or not any(reading.ai_flags):
                return TagResult([], [], [], [], sentiment, False)
            entities, found = self._named_and_stated(title, text, reading)
            return TagResult([], entities, [], found, sentiment, False)
        entities, found = self._named_and_stated(title, text, reading)
        return TagResult(
            themes=themes,
            entities=entities,
            sectors=sectors_of(
                self.taxonomy,
                themes,
                entities,
                segments_named(h for _, hits in reading.parts for h in hits),
            ),
            quantities=found,
            sentiment=sentiment,
            relevant=True,
        )

    def _named_and_stated(
        self, title: str, text: str, reading: Reading
    ) -> tuple[list[EntityTag], list[Quantity]]:
        """The document's companies and its figures, each tied to its company."""
        aside = self.entities.plaintiffs(reading.parts, reading.mentions)
        aside |= self.entities.raters(reading.parts, reading.mentions)
        entities = self.entities.tags(reading.mentions, reading.measured, aside)
        figures = _figures(title, text)
        if not figures:
            return entities, []

        def may_take(hit: Hit) -> bool:  # a company a figure may be of
            return (
                hit.kind in _NAMES
                and hit.key in reading.mentions
                and hit.key not in reading.measured
            )

        where = _Where(reading.parts, may_take, self._watched)
        return entities, [self._attribute(q, reading, where) for q in figures]

    def read(self, title: str, text: str) -> Reading:
        """The rules' reading of a document (what the learned model builds on)."""
        parts = self._read(title, text)
        can_find = [(s, h) for s, hits in parts for h in hits if h.kind in _CAN_FIND]
        if not can_find:
            return Reading(parts, {}, set(), [], {})  # most general news
        if all(is_plain_word(s, h) for s, h in can_find):
            # Only lower-case words that are also tickers ("has", "now"): no company, so no
            # theme either; the full reading would find nothing but the AI terms.
            return Reading(parts, {}, set(), [_has_kind(hits, "ai") for _, hits in parts], {})
        mentions = self.entities.mentions(parts)
        measured = self.entities.measured_against(parts, mentions)
        subjects = self.entities.subjects(mentions) - measured
        ai_flags = self._speaks_of_ai(parts, mentions)
        votes = self.themes.votes(parts, ai_flags, subjects, self._focus(subjects))
        votes = {t: v for t, v in votes.items() if self._allowed(t, ai_flags, subjects)}
        return Reading(parts, mentions, subjects, ai_flags, votes, measured)

    def features(self, title: str, text: str, reading: Reading) -> set[str]:
        """The learned model's input: the text's words and the rules' findings."""
        features = sentence_features(self.sentences(reading))
        features.update(self.findings(reading))
        return features

    @staticmethod
    def sentences(reading: Reading) -> Iterator[tuple[str, bool, bool]]:
        """Each segment's text, whether it is the headline and whether it speaks of AI."""
        ai_flags = reading.ai_flags or [False] * len(reading.parts)
        for (segment, _), speaks_of_ai in zip(reading.parts, ai_flags, strict=True):
            yield segment.text, segment.in_title, speaks_of_ai

    def findings(self, reading: Reading) -> set[str]:
        """The features that are not the text's words: what the rules found."""
        features = rule_features(reading.votes)
        features.add(mood_feature(reading.votes))
        features.update(f"co:{s}" for c in reading.subjects for s in self.companies[c].sectors)
        features.update(f"named:{s}" for c in reading.mentions for s in self.companies[c].sectors)
        if any(reading.ai_flags):
            features.add("ai")
        # Every cue the rules matched, whether it found a theme or not.
        features.update(
            f"hit:{h.kind}:{h.key}" for _, hits in reading.parts for h in hits if h.kind in _CUES
        )
        return features

    def _attribute(self, quantity: Quantity, reading: Reading, where: "_Where") -> Quantity:
        """The figure with its company: the one named closest before it in its sentence,
        else the first after it, else the document's only subject; never a company named only
        as what another rivals ("startup rival to Nvidia seeks $400 million"). In a
        sentence of ratings, a company outside the watched universe (the broker that rates)
        comes after the subject: "Nomura's target price would suggest a downside of 15.84%"
        is of the stock Nomura rates."""
        other: Hit | None = None  # the unwatched company its sentence names, if any
        found = where.segment(quantity.in_title, quantity.start)
        if found is not None:
            at, (segment, _) = found
            offset = quantity.start - segment.start
            watched, unwatched = where.names(at)
            other = _nearest(unwatched, offset)
            chosen = _nearest(watched, offset)
            if chosen is not None:
                return quantity.model_copy(update={"company": chosen.key})
        if len(reading.subjects) == 1:
            return quantity.model_copy(update={"company": next(iter(reading.subjects))})
        if other is not None:
            return quantity.model_copy(update={"company": other.key})
        return quantity

    def _watched(self, company_id: str) -> bool:
        record = self.companies.get(company_id)
        return record is not None and record.watched

    def _speaks_of_ai(
        self, parts: list[tuple[Segment, list[Hit]]], mentions: dict[str, list[Segment]]
    ) -> list[bool]:
        """Per segment: an AI term, or a focused private company (an AI lab) named in it."""
        labs = [
            id(segment)
            for company_id, where in mentions.items()
            if _ai_lab(self.companies[company_id])
            for segment in where
        ]
        return [_has_kind(hits, "ai") or id(s) in labs for s, hits in parts]

    def _focus(self, subjects: set[str]) -> set[Sector]:
        """The main sector of each focused subject company (one or two sectors in all)."""
        sectors = [self.companies[c].sectors for c in subjects]
        return {s[0] for s in sectors if 0 < len(s) <= MAX_FOCUSED_SECTORS}

    def permits(self, theme: Theme, reading: Reading) -> bool:
        """Whether the taxonomy allows the theme in this document (its `requires`)."""
        # a document the rules had nothing to find in was not read for AI: its terms decide
        flags = reading.ai_flags or [_has_kind(hits, "ai") for _, hits in reading.parts]
        return self._allowed(theme, flags, reading.subjects)

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
                if shift:
                    hit = new_hit((hit.kind, hit.key, hit.start - shift, hit.end - shift))
                out[index][1].append(hit)
        return out


def _rated(themes: list[ThemeTag], title: str, text: str) -> list[ThemeTag]:
    """A rating's direction is the way the rating change it states goes, the headline's
    first (see ratings.py), whatever words of praise or alarm stand around it."""
    if not any(t.theme is Theme.ANALYST_RATING for t in themes):
        return themes
    direction = rating_direction(title) or rating_direction(text)
    if direction is None:
        return themes
    return [
        t.model_copy(update={"polarity": direction}) if t.theme is Theme.ANALYST_RATING else t
        for t in themes
    ]


def _has_kind(hits: list[Hit], kind: str) -> bool:
    return kind in [h.kind for h in hits]  # a list: quicker than any() over a generator


def _sentiment(themes: list[ThemeTag]) -> Polarity:
    total = sum(t.polarity.sign * t.confidence for t in themes)
    if total > SENTIMENT_THRESHOLD:
        return Polarity.POSITIVE
    if total < -SENTIMENT_THRESHOLD:
        return Polarity.NEGATIVE
    return Polarity.NEUTRAL


class _Where:
    """Which segment holds a position (found by bisection, not by a scan per figure), and
    the company names of that segment a figure may take, read once per segment: a document
    of many figures in long sentences took seconds when each figure searched its sentence
    again. In a sentence of ratings the unwatched names (the broker) are apart."""

    def __init__(
        self,
        parts: list[tuple[Segment, list[Hit]]],
        may_take: Callable[[Hit], bool],
        watched: Callable[[str], bool],
    ) -> None:
        self.parts = parts
        self.may_take = may_take
        self.watched = watched
        self.starts = {
            side: [(p.start, i) for i, (p, _) in enumerate(parts) if p.in_title == side]
            for side in (True, False)
        }
        self.named: dict[int, tuple[_Names, _Names]] = {}

    def segment(self, in_title: bool, start: int) -> tuple[int, tuple[Segment, list[Hit]]] | None:
        starts = self.starts[in_title]
        position = bisect_right(starts, (start, len(self.parts))) - 1
        if position < 0:
            return None
        index = starts[position][1]
        segment = self.parts[index][0]
        return (index, self.parts[index]) if start - segment.start < len(segment.text) else None

    def names(self, index: int) -> "tuple[_Names, _Names]":
        """The segment's names a figure may take and, in a sentence of ratings, the
        unwatched ones apart, each in reading order."""
        if index not in self.named:
            segment, hits = self.parts[index]
            named = [h for h in hits if self.may_take(h)]
            if not _RATING_WORDS.search(segment.text):
                self.named[index] = (_Names(named), _Names([]))
            else:
                watched = [h for h in named if self.watched(h.key)]
                others = [h for h in named if not self.watched(h.key)]
                self.named[index] = (_Names(watched), _Names(others))
        return self.named[index]


class _Names:
    """Company names of a segment in reading order, with their ends, so that the one closest
    before a figure is found by bisection (a document of thousands of names in one sentence
    took minutes when each figure scanned them all)."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.ends = [h.end for h in hits]
        # names that overlap ("SK海力士", "海力士") may end out of reading order
        self.ordered = all(a <= b for a, b in pairwise(self.ends))


def _figures(title: str, text: str) -> list[Quantity]:
    """The body's figures, and before them the headline's that the body does not state
    again ("Hightouch reaches $100M ARR" over a body that gives only how it grew). A
    headline rounds ("$58B" for the body's "$58.1 billion"): the same unit within 5% is the
    same figure, and the body's, with its context, is kept."""
    body = quantities(text, headline=title) if text.strip() else []
    headline = [
        q for q in quantities(title, in_title=True) if not any(same_figure(q, b) for b in body)
    ]
    return headline + body


def same_figure(a: Quantity, b: Quantity) -> bool:
    """The same figure stated twice: the same unit, values within 5%."""
    return a.unit == b.unit and abs(a.value - b.value) <= 0.05 * max(abs(a.value), abs(b.value))


def _ai_lab(company: CompanyRecord) -> bool:
    """Whether naming the company speaks of AI: as the reference data says, else a focused
    private company (OpenAI, Runway) is taken for an AI lab."""
    if company.ai_lab is not None:
        return company.ai_lab
    return (
        company.ticker is None and len(company.sectors) <= MAX_FOCUSED_SECTORS and company.watched
    )


def _nearest(named: _Names, offset: int) -> Hit | None:
    """The name closest before an offset in its sentence (the last, in reading order, that
    ends by it), else the first after it."""
    hits = named.hits
    if not hits:
        return None
    if named.ordered:
        cut = bisect_right(named.ends, offset)
        return hits[cut - 1] if cut else hits[0]
    before = [h for h in hits if h.end <= offset]
    return before[-1] if before else hits[0]


__all__ = ["Reading", "Segment", "TagResult", "Tagger", "Votes", "same_figure", "segments"]
