"""Finding themes sentence by sentence, with polarity, confidence and evidence."""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from radar_schemas import Evidence, Polarity, Sector, Theme, ThemeTag

from .matcher import Hit
from .polarity import direction, is_hedged
from .sectors import SEGMENT
from .taxonomy import AI_GROUP, Taxonomy
from .text import Segment

MAX_EVIDENCE = 3
TITLE_WEIGHT = 1.5  # a headline weighs more than a body sentence
LEDE_WEIGHT = 1.25  # and the first body sentence, which states the news, a little more too
POLARITY_MARGIN = 0.25  # below this net direction, the theme's default polarity holds
# How sure a match makes us: a self-sufficient cue, a cue needing AI context, a company.
_STRENGTH = {"cue": 0.7, "with_ai": 0.55, "group": 0.55, "company": 0.45}
_FINDING = frozenset({"cue", "with_ai", "group"})
_SPECIFIC = frozenset({"tpos", "tneg"})


@dataclass
class Votes:
    """What the sentences of one document say about one theme."""

    score: float = 0.0
    confidence: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    by_company: bool = False  # found through the subject company, not through a cue
    specific: bool = False  # a polarity cue of this theme's own spoke ("price cut": good)
    by_cue: bool = False  # found by a cue that needs nothing else (the taxonomy's `cues`)


class ThemeFinder:
    """Turns matcher hits into per-theme votes, following the taxonomy's rules."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        # (theme, groups without "@ai", whether "@ai" was one of them), per combo
        self._combos = [
            (theme, [g for g in combo if g != [AI_GROUP]], [AI_GROUP] in combo)
            for theme, spec in taxonomy.themes.items()
            for combo in spec.combos
        ]
        # per combo: the matcher keys that must all be present in one sentence
        self._combo_keys = [
            (theme, tuple(f"{theme.value}|{n}|{i}" for i in range(len(groups))), needs_ai)
            for n, (theme, groups, needs_ai) in enumerate(self._combos)
        ]
        self._theme_of = {t.value: t for t in Theme}
        self._companies = {t: frozenset(spec.companies) for t, spec in taxonomy.themes.items()}
        self._combos_of: dict[str, list[int]] = defaultdict(list)  # first key -> combos
        for n, (_, needed, _) in enumerate(self._combo_keys):
            self._combos_of[needed[0]].append(n)

    def phrases(self) -> list[tuple[str, str, str]]:
        """Every phrase the matcher must find for themes, AI context, polarity and the
        businesses of a company's sectors."""
        out = [(term, "ai", "") for term in self.taxonomy.ai_terms]
        out += [(idiom, "ignore", "") for idiom in self.taxonomy.ignore]
        out += [
            (word, SEGMENT, sector.value)
            for sector, words in self.taxonomy.segments.items()
            for word in words
        ]
        for theme, spec in self.taxonomy.themes.items():
            out += [(cue, "cue", theme.value) for cue in spec.cues]
            out += [(cue, "with_ai", theme.value) for cue in spec.with_ai]
            out += [(cue, "tpos", theme.value) for cue in spec.positive]
            out += [(cue, "tneg", theme.value) for cue in spec.negative]
        for number, (theme, groups, _) in enumerate(self._combos):
            for index, group in enumerate(groups):
                out += [(cue, "group", f"{theme.value}|{number}|{index}") for cue in group]
        cues = self.taxonomy.polarity
        for kind, words in (
            ("pos", cues.positive),
            ("neg", cues.negative),
            ("negation", cues.negations),
            ("reversal", cues.reversals),
            ("hedge", cues.hedges),
        ):
            out += [(word, kind, "") for word in words]
        return out

    def votes(
        self,
        parts: list[tuple[Segment, list[Hit]]],
        ai_flags: list[bool],
        subjects: set[str],
        subject_sectors: set[Sector],
    ) -> dict[Theme, Votes]:
        """Theme -> votes, from each sentence's cues and from the document's subjects
        (reference ids, and the sectors of the focused companies among them)."""
        votes: dict[Theme, Votes] = defaultdict(Votes)
        seen: set[str] = set()
        for index, (segment, hits) in enumerate(parts):
            said = segment.text.strip()
            if said in seen:  # a body that repeats its headline says it once
                continue
            seen.add(said)
            finding = [h for h in hits if h.kind in _FINDING]
            if not finding:
                continue  # no cue: the sentence finds nothing (most sentences)
            near_ai = any(ai_flags[max(0, index - 1) : index + 2])
            for theme, (kind, hit) in self._found(segment, hits, finding, near_ai).items():
                self.add_vote(votes[theme], theme, segment, hits, _STRENGTH[kind], hit)
                votes[theme].by_cue = votes[theme].by_cue or kind == "cue"
        if any(ai_flags) and parts:
            for theme, spec in self.taxonomy.themes.items():
                by_sector = spec.subject_sector in subject_sectors
                by_name = not subjects.isdisjoint(self._companies[theme])
                if theme not in votes and (by_name or by_sector):
                    segment, hits = parts[0]
                    self.add_vote(votes[theme], theme, segment, hits, _STRENGTH["company"])
                    votes[theme].by_company = True
        return votes

    def tag(self, theme: Theme, vote: Votes) -> ThemeTag:
        """The theme tag: polarity from the net direction, else the theme's default."""
        if vote.score >= POLARITY_MARGIN:
            polarity = Polarity.POSITIVE
        elif vote.score <= -POLARITY_MARGIN:
            polarity = Polarity.NEGATIVE
        elif vote.by_company:  # no cue said anything about the theme itself
            polarity = Polarity.NEUTRAL
        else:
            polarity = self.taxonomy.themes[theme].default_polarity
        return ThemeTag(
            theme=theme,
            polarity=polarity,
            confidence=round(vote.confidence, 3),
            evidence=tuple(vote.evidence),
        )

    def _found(
        self, segment: Segment, hits: list[Hit], finding: list[Hit], near_ai: bool
    ) -> dict[Theme, tuple[str, Hit]]:
        """Themes this sentence finds (`finding`: its hits of the kinds that find one), each
        with its strongest kind of match and its hit."""
        idioms = [h for h in hits if h.kind == "ignore"]
        if len(finding) > 1 or idioms:  # a lone hit is inside no other
            finding = _outermost(finding, idioms)
        found: dict[Theme, tuple[str, Hit]] = {}
        for hit in finding:
            if hit.kind == "cue":
                theme = self._theme_of[hit.key]
                if found.get(theme, ("",))[0] != "cue":  # the first cue, over weaker matches
                    found[theme] = ("cue", hit)
            elif hit.kind == "with_ai" and near_ai and not _proper_name(segment, hit):
                found.setdefault(self._theme_of[hit.key], ("with_ai", hit))
        groups = {h.key: h for h in finding if h.kind == "group"}
        # Only the combos whose first group is here, in the taxonomy's order.
        combos = sorted(n for key in groups for n in self._combos_of.get(key, ()))
        for theme, needed, needs_ai in map(self._combo_keys.__getitem__, combos):
            wanted = theme not in found and (near_ai or not needs_ai)
            if wanted and needed[0] in groups and all(key in groups for key in needed):
                found[theme] = ("group", groups[needed[0]])
        return found

    def add_vote(
        self,
        vote: Votes,
        theme: Theme,
        segment: Segment,
        hits: list[Hit],
        strength: float,
        found_by: Hit | None = None,
    ) -> None:
        place = TITLE_WEIGHT if segment.in_title else LEDE_WEIGHT if segment.first else 1.0
        weight = self.taxonomy.themes[theme].weight * place
        vote.score += direction(segment.text, hits, theme.value) * weight
        vote.specific = vote.specific or any(
            h.kind in _SPECIFIC and h.key == theme.value for h in hits
        )
        confidence = min(0.95, strength * (1.15 if segment.in_title else 1.0))
        if is_hedged(segment.text, hits, found_by):  # a hedge in the clause that found it
            confidence *= 0.7
        vote.confidence = min(0.95, max(vote.confidence, confidence) + 0.05 * bool(vote.evidence))
        if len(vote.evidence) < MAX_EVIDENCE:
            vote.evidence.append(
                Evidence(
                    sentence=segment.text,
                    start=segment.start,
                    end=segment.start + len(segment.text),
                    in_title=segment.in_title,
                )
            )


def _outermost(finding: list[Hit], idioms: list[Hit]) -> list[Hit]:
    """The hits inside no longer hit of another theme ("studio" inside "game studio" speaks
    of games, not of film) and inside no idiom."""
    # Each next hit after the one before or on the same words: none is inside a longer one.
    if all(a.end <= b.start or (a.start, a.end) == (b.start, b.end) for a, b in pairwise(finding)):
        if not idioms:
            return finding  # most sentences with several hits: nothing to drop
        return [
            h for h in finding if not any(i.start <= h.start and h.end <= i.end for i in idioms)
        ]
    spans = [(h.start, h.end, h.end - h.start, h.key.split("|", 1)[0]) for h in finding]
    kept = []
    for hit, (start, end, length, theme) in zip(finding, spans, strict=True):
        if any(s <= start and end <= e and n > length and t != theme for s, e, n, t in spans):
            continue
        if not any(i.start <= start and end <= i.end for i in idioms):
            kept.append(hit)
    return kept


def _proper_name(segment: Segment, hit: Hit) -> bool:
    """A capitalised common noun inside a body sentence is part of a name ("The Hunger
    Games", "Studio Ghibli"), not the thing itself."""
    if segment.in_title or hit.start == 0:
        return False
    return segment.text[hit.start].isupper() and not segment.text[hit.start : hit.end].isupper()
