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
# What a reversal can undo: a ban, curbs, a lawsuit, a probe, fines, concerns (not a fall,
# a loss or a slump: "eased lower", "Nvidia removed from Dow as shares slump").
_UNDOABLE = re.compile(
    r"\b(?:bans?|banned|curbs|restrictions?|restricted|controls|sanctions|lawsuits?|suits?|"
    r"probes?|investigations?|piracy|fines?|penalt(?:y|ies)|concerns?|fears?|worries|tariffs?|"
    r"infringement)\b|禁令|禁止|限制|管制|制裁|诉讼|訴訟|实体清单|實體清單|禁售|罚款|处罚|关税",
    re.I,
)
# What ends a reversal's reach before the bad news: punctuation, a conjunction or a word of
# cause or time ("amid", "as", "on", "after"), a concession ("despite US restrictions").
_REVERSAL_STOP = re.compile(
    r"[,;:.!?()\[\]，、；：。！？（）]|\s[-–—]\s|\b(?:and|or|but|as|amid|on|over|after|while|"
    r"following|because|despite|in spite of)\b|但|而|却|因|由于|導致|导致|尽管|儘管",
    re.I,
)
_SPECIFIC = {"tpos": 1, "tneg": -1}


def direction(text: str, hits: list[Hit], theme: str) -> float:
    """Net direction of the polarity cues for one theme in a sentence, in [-1, 1].

    Theme-specific cues ("price cut" is good news for inference cost) override the general
    ones on the same words. A negation earlier in the clause of a cue turns a positive cue
    negative at half strength ("did not raise", "no longer expects demand to grow", "failed
    to beat") and cancels a negative one ("no decline"); a reversal turns the bad news it
    governs into weak good news ("lifts the export ban", "settles lawsuit", "eases
    concerns"), unless a negation comes before it ("refuses to lift the ban": the ban
    stands); a hedge in the clause ("may",
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
    hedges = _modifiers(text, hits, "hedge")
    undone, kept = _reversed(text, cues, _modifiers(text, hits, "reversal"), negations)
    total = 0.0
    for hit, sign in cues:
        value = float(sign)
        if hit in undone:
            value = 0.5
        elif hit not in kept and any(_negates(text, n, hit) for n in negations):
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


def _reversed(
    text: str, cues: list[tuple[Hit, int]], reversals: list[Hit], negations: list[Hit]
) -> tuple[set[Hit], set[Hit]]:
    """The bad news reversals undo, and the bad news negated reversals keep ("did not lift
    the ban": the ban stands, the negation is the reversal's). A reversal governs the first
    negative cue after it, when that cue names what can be lifted, settled or eased (a ban,
    curbs, a lawsuit, concerns: `_UNDOABLE`) and nothing but its object comes between: no
    punctuation, conjunction or preposition of cause ("scraps plans amid weak demand", "ease
    on export curbs", 取消分红，因…亏损), no concession ("despite")."""
    undone: set[Hit] = set()
    kept: set[Hit] = set()
    negative = sorted((h for h, sign in cues if sign < 0), key=lambda h: h.start)
    for reversal in reversals:
        hit = next((h for h in negative if h.start >= reversal.end), None)
        if (
            hit is not None
            and hit.start - reversal.end <= _REVERSAL_REACH
            and _UNDOABLE.search(text, hit.start, hit.end)
            and not _REVERSAL_STOP.search(text[reversal.end : hit.start])
        ):
            before = [n for n in negations if reversal.start - _REVERSAL_REACH <= n.start]
            negated = any(_negates(text, n, reversal) for n in before)
            (kept if negated else undone).add(hit)
    return undone - kept, kept


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
