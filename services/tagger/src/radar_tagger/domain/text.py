"""Splitting a document into its headline and body sentences, with offsets."""

import re
from dataclasses import dataclass

# A sentence ends at . ! ? followed by space and a capital, digit or quote, or at a line break.
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(A-Z0-9])|\s*\n\s*")
# Between a negation and a polarity cue, these end the clause: the negation no longer applies.
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:but|while|whereas|although|though|and)\b", re.I)


@dataclass(frozen=True, slots=True)
class Segment:
    """The headline or one body sentence."""

    text: str
    start: int  # offset in the title (in_title) or in the body text
    in_title: bool
    first: bool  # the headline or the first sentence of the body


def segments(title: str, text: str) -> list[Segment]:
    """The headline, then each sentence of the body, with offsets."""
    out = [Segment(title, 0, True, True)] if title.strip() else []
    start, first = 0, True
    for boundary in _BOUNDARY.finditer(text):
        first = _add(out, text, start, boundary.start(), first)
        start = boundary.end()
    _add(out, text, start, len(text), first)
    return out


def _add(out: list[Segment], text: str, start: int, end: int, first: bool) -> bool:
    if text[start:end].strip():
        out.append(Segment(text[start:end], start, False, first))
        return False
    return first


def same_clause(text: str, start: int, end: int) -> bool:
    """True when nothing between start and end of the text breaks the clause."""
    return _CLAUSE_BREAK.search(text, start, end) is None
