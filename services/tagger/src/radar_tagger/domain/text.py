"""Splitting a document into its headline and body sentences, with offsets."""

import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import NamedTuple, TypeVar

# A sentence ends at . ! ? followed by space and a capital, digit or quote, at 。！？；
# (Chinese and Japanese put no space after them), or at a line break. A match takes the
# punctuation mark with it (the boundary starts one after it): a pattern that starts with a
# lookbehind is tried at every position of the text, one that starts with a character class
# only where the class matches (a third of the cost of splitting).
V = TypeVar("V")
_ENDS = frozenset(".!?。！？；")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[\"'“‘(A-Z0-9])|[。！？；]\s*(?=\S)")
# Or whitespace around a line break, matched from the start of a run only: tried at every
# start inside a long run without a line break, it scanned to the end of the run each time
# (quadratic: a 100k-character item took over 75 s). Same matches.
_BOUNDARY = re.compile(_SENTENCE_END.pattern + r"|(?<!\s)\s*\n\s*")
# What ends a clause: punctuation, a spaced dash, a contrastive conjunction, a subordinate
# clause of cause or time, or "and" (unless it joins two predicates under one negation).
_CLAUSE_BREAK = re.compile(
    r"[,;:()]|\s[-–—]+\s|\b(?:but|while|whereas|although|though|yet|however|even\s+as|"
    r"because|after|and)\b",
    re.I,
)
# "failed to beat estimates and raise guidance": "and" right before the cue coordinates it.
_COORDINATED = re.compile(r"\s*(?:to\s+)?", re.I)


class Segment(NamedTuple):
    """The headline or one body sentence (a tuple: cheap to make, one per sentence)."""

    text: str
    start: int  # offset in the title (in_title) or in the body text
    in_title: bool
    first: bool  # the headline or the first sentence of the body


# Segment(text, start, in_title, first) without the named tuple's generated __new__.
_new_segment: Callable[[tuple[str, int, bool, bool]], Segment] = partial(tuple.__new__, Segment)


def segments(title: str, text: str) -> list[Segment]:
    """The headline, then each sentence of the body, with offsets."""
    out = [Segment(title, 0, True, True)] if title.strip() else []
    start, first = 0, True
    ends = _ENDS
    # Without a line break only sentence ends split: the same boundaries at half the cost.
    for boundary in (_BOUNDARY if "\n" in text else _SENTENCE_END).finditer(text):
        end = boundary.start()
        sentence = text[start : end + (text[end] in ends)]
        if sentence.strip():  # inline: a call per sentence was a tenth of the split
            out.append(_new_segment((sentence, start, False, first)))
            first = False
        start = boundary.end()
    if text[start:].strip():
        out.append(_new_segment((text[start:], start, False, first)))
    return out


def same_clause(text: str, start: int, end: int, coordinated: bool = True) -> bool:
    """True when nothing between start and end of the text breaks the clause.

    With coordinated, an "and" followed directly by the text at end ("did not beat and
    raise") joins it to the clause before; any other break ends the clause.
    """
    for found in _CLAUSE_BREAK.finditer(text, start, end):
        joined = coordinated and found.group().lower() == "and"
        if not (joined and _COORDINATED.fullmatch(text, found.end(), end)):
            return False
    return True


def matched_key(table: Mapping[str, V], word: str) -> V | None:
    """The entry of a lower-case table for a word a case-insensitive pattern matched, or None.
    Such a pattern also matches letters that lower() does not make ASCII ("ſeven" for "seven",
    "İn-line" for "in-line"): those are looked up the way the pattern matched them."""
    found = table.get(word.lower())
    if found is not None or word.isascii():
        return found
    return next(
        (value for key, value in table.items() if re.fullmatch(re.escape(key), word, re.I)),
        None,
    )
