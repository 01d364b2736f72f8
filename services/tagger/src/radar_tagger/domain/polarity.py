"""Polarity of a theme in one sentence: cues, negation and hedging within the clause."""

import re

from .matcher import Hit
from .text import same_clause

# Rising costs are bad news and falling losses good: these words just before a general cue
# turn it around ("costs rose", "losses narrowed" is not covered: no cue).
_BURDEN = re.compile(
    r"\b(?:costs?|expenses?|spending|losses|debt|capex|churn|layoffs)\s+(?:have\s+|has\s+)?$",
    re.I,
)
# "May" the month is no hedge: "in May", "since May", "May 5", "May 2024".
_MONTH_BEFORE = re.compile(
    r"\b(?:in|on|since|until|through|from|by|of|to|early|late|mid|last|next|this)[\s-]+$", re.I
)
_MONTH_AFTER = re.compile(r"\s+\d")
_GENERAL = {"pos": 1, "neg": -1}
_REVERSAL_REACH = 40  # characters from a reversal to the bad news it undoes
# What stands despite a reversal before it: "lifts shares despite US export restrictions".
_CONCESSION = re.compile(r"\bdespite\b|\bin spite of\b|尽管|儘管", re.I)
_SPECIFIC = {"tpos": 1, "tneg": -1}


def direction(text: str, hits: list[Hit], theme: str) -> float:
    """Net direction of the polarity cues for one theme in a sentence, in [-1, 1].

    Theme-specific cues ("price cut" is good news for inference cost) override the general
    ones on the same words. A negation earlier in the clause of a cue turns a positive cue
    negative at half strength ("did not raise", "no longer expects demand to grow", "failed
    to beat") and cancels a negative one ("no decline"); a reversal turns the negative cues
    a few words after it in its clause into weak positives ("lifts the export ban", "settles
    lawsuit", "eases concerns"), unless a negation comes before it ("refuses to lift the
    ban") or a concession between ("despite US restrictions"); a hedge in the clause ("may",
    "could") halves the cue. Clauses end at punctuation and conjunctions (text.same_clause):
    a negation in another clause leaves the cue alone.
    """
    specific = [h for h in hits if h.kind in _SPECIFIC and h.key == theme]
    cues = [(h, _SPECIFIC[h.kind]) for h in specific]
    cues += [
        (h, _GENERAL[h.kind] * (-1 if _BURDEN.search(text, max(0, h.start - 20), h.start) else 1))
        for h in hits
        if h.kind in _GENERAL and not any(_overlap(h, s) for s in specific)
    ]
    cues = [(h, sign) for h, sign in cues if not _inside_longer(h, cues)]
    negations = _modifiers(text, hits, "negation")
    reversals = _modifiers(text, hits, "reversal")
    hedges = _modifiers(text, hits, "hedge")
    undone = _undone(text, cues, reversals, negations)
    total = 0.0
    for hit, sign in cues:
        value = float(sign)
        if hit in undone:
            value = 0.5
        elif any(
            _negates(text, n, hit) and not _between(reversals, n, hit) for n in negations
        ):  # a negated reversal leaves what follows it as it was: "did not lift the ban"
            value = -0.5 if sign > 0 else 0.0
        if any(_in_clause(text, h, hit) for h in hedges):
            value *= 0.5
        total += value
    return max(-1.0, min(1.0, total))


def is_hedged(text: str, hits: list[Hit], near: Hit | None = None) -> bool:
    """Whether a hedge ("may", "could", "plans to") is in the clause of `near`, or, without
    it, anywhere in the sentence."""
    hedges = _modifiers(text, hits, "hedge")
    return any(near is None or _in_clause(text, h, near) for h in hedges)


def _undone(
    text: str, cues: list[tuple[Hit, int]], reversals: list[Hit], negations: list[Hit]
) -> set[Hit]:
    """The negative cues a reversal undoes: for each reversal not itself negated, those
    after it in its clause ("and" ends it: "dismisses the claim and fines the company")
    within a few words ("settles AI book piracy lawsuit"), with no concession between."""
    undone: set[Hit] = set()
    for reversal in reversals:
        if any(_negates(text, n, reversal) for n in negations):
            continue
        for hit, sign in cues:
            if (
                sign < 0
                and 0 <= hit.start - reversal.end <= _REVERSAL_REACH
                and same_clause(text, reversal.end, hit.start, coordinated=False)
                and not _CONCESSION.search(text, reversal.end, hit.start)
            ):
                undone.add(hit)
    return undone


def _between(reversals: list[Hit], negation: Hit, cue: Hit) -> bool:
    return any(negation.end <= r.start and r.end <= cue.start for r in reversals)


def _modifiers(text: str, hits: list[Hit], kind: str) -> list[Hit]:
    """Negations, reversals or hedges, without those inside an idiom ("not only", "no
    doubt", "ease of use") and without "May" the month."""
    idioms = [h for h in hits if h.kind == "ignore"]
    return [
        h
        for h in hits
        if h.kind == kind
        and not any(i.start <= h.start and h.end <= i.end for i in idioms)
        and not (kind == "hedge" and _is_month(text, h))
    ]


def _is_month(text: str, hit: Hit) -> bool:
    if text[hit.start : hit.end] not in ("May", "MAY"):
        return False
    before = text[max(0, hit.start - 8) : hit.start]
    return bool(_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(text, hit.end))


def _negates(text: str, negation: Hit, cue: Hit) -> bool:
    if negation.start >= cue.start and negation.end <= cue.end:
        return False  # the cue itself contains the word ("no longer" inside a longer cue)
    return negation.end <= cue.start and same_clause(text, negation.end, cue.start)


def _in_clause(text: str, modifier: Hit, cue: Hit) -> bool:
    """The modifier and the cue are in one clause (in either order)."""
    if modifier.start < cue.start:
        return same_clause(text, modifier.end, cue.start)
    return same_clause(text, cue.end, modifier.start, coordinated=False)


def _overlap(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _inside_longer(hit: Hit, cues: list[tuple[Hit, int]]) -> bool:
    """ "cut guidance" counts once, not also as "cut"."""
    return any(
        o.start <= hit.start and hit.end <= o.end and (o.end - o.start) > (hit.end - hit.start)
        for o, _ in cues
    )
