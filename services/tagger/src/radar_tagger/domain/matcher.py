"""One Aho-Corasick automaton over every cue and alias, matched on whole words."""

from dataclasses import dataclass

import ahocorasick


@dataclass(frozen=True, slots=True)
class Hit:
    """One phrase found in a text."""

    kind: str  # "cue", "with_ai", "group", "ai", "pos", "neg", "tpos", "tneg", "negation", ...
    key: str  # theme id, company id, "theme|group index", or ""
    start: int
    end: int  # exclusive


class Matcher:
    """Finds every registered phrase in a text in one pass."""

    def __init__(self, phrases: list[tuple[str, str, str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, set[tuple[str, str]]] = {}
        for phrase, kind, key in phrases:
            entries.setdefault(phrase.lower().strip(), set()).add((kind, key))
        for phrase, targets in entries.items():
            if phrase:
                self._automaton.add_word(phrase, (len(phrase), tuple(sorted(targets))))
        self._automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Every whole-word occurrence of every phrase, in order of their end."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters lower-case to two: keep offsets
            lowered = "".join(c.lower()[:1] for c in text)
        found = []
        for end_index, (length, targets) in self._automaton.iter(lowered):
            start, end = end_index - length + 1, end_index + 1
            if _is_word_bounded(lowered, start, end):
                found += [Hit(kind, key, start, end) for kind, key in targets]
        return found


def _is_word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")
