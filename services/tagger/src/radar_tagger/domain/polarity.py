"""Polarity of a theme in one sentence: cues, negation and hedging within the clause."""

import re

from .matcher import Hit
from .text import same_clause

NEGATION_WINDOW = 20  # characters before a polarity cue in which a negation can act on it
# Rising costs are bad news and falling losses good: these words just before a general cue
# turn it around ("costs rose", "losses narrowed" is not covered: no cue).
_BURDEN = re.compile(
    r"\b(?:costs?|expenses?|spending|losses|debt|capex|churn|layoffs)\s+(?:have\s+|has\s+)?$",
    re.I,
)
_GENERAL = {"pos": 1, "neg": -1}
_SPECIFIC = {"tpos": 1, "tneg": -1}


def direction(text: str, hits: list[Hit], theme: str) -> float:
    """Net direction of the polarity cues for one theme in a sentence, in [-1, 1].

    Theme-specific cues ("price cut" is good news for inference cost) override the general
    ones on the same words. A negation in the same clause turns a positive cue negative at
    half strength ("did not raise", "failed to beat") and cancels a negative one ("no
    decline"); hedges ("may", "could") halve the result.
    """
    specific = [h for h in hits if h.kind in _SPECIFIC and h.key == theme]
    cues = [(h, _SPECIFIC[h.kind]) for h in specific]
    cues += [
        (h, _GENERAL[h.kind] * (-1 if _BURDEN.search(text, max(0, h.start - 20), h.start) else 1))
        for h in hits
        if h.kind in _GENERAL and not any(_overlap(h, s) for s in specific)
    ]
    cues = [(h, sign) for h, sign in cues if not _inside_longer(h, cues)]
    negations = [h for h in hits if h.kind == "negation"]
    total = 0.0
    for hit, sign in cues:
        if any(_negates(text, n, hit) for n in negations):
            total += -0.5 if sign > 0 else 0.0
        else:
            total += sign
    if any(h.kind == "hedge" for h in hits):
        total *= 0.5
    return max(-1.0, min(1.0, total))


def is_hedged(hits: list[Hit]) -> bool:
    """Whether the sentence carries a hedge ("may", "could", "plans to")."""
    return any(h.kind == "hedge" for h in hits)


def _negates(text: str, negation: Hit, cue: Hit) -> bool:
    if negation.start >= cue.start and negation.end <= cue.end:
        return False  # the cue itself contains the word ("no longer" inside a longer cue)
    gap = cue.start - negation.end
    return 0 <= gap <= NEGATION_WINDOW and same_clause(text, negation.end, cue.start)


def _overlap(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _inside_longer(hit: Hit, cues: list[tuple[Hit, int]]) -> bool:
    """ "cut guidance" counts once, not also as "cut"."""
    return any(
        o.start <= hit.start and hit.end <= o.end and (o.end - o.start) > (hit.end - hit.start)
        for o, _ in cues
    )
