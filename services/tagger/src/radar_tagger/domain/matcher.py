"""One Aho-Corasick automaton over every cue and alias, matched on whole words."""

from collections.abc import Iterator
from dataclasses import dataclass

import ahocorasick


@dataclass(frozen=True)
class Hit:
    kind: str  # "theme", "positive", "negative", "negation", "hedge", "company", "context"
    key: str  # theme id, company id, or the cue itself
    start: int
    end: int  # exclusive


class Matcher:
    """Finds every registered phrase in a text in one pass."""

    def __init__(self, phrases: list[tuple[str, str, str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, str]]] = {}
        for phrase, kind, key in phrases:
            entries.setdefault(phrase.lower(), []).append((kind, key))
        for phrase, targets in entries.items():
            self._automaton.add_word(phrase, (len(phrase), tuple(targets)))
        self._automaton.make_automaton()

    def find(self, text: str) -> Iterator[Hit]:
        lowered = text.lower()
        for end_index, (length, targets) in self._automaton.iter(lowered):
            start, end = end_index - length + 1, end_index + 1
            if _is_word_bounded(lowered, start, end):
                for kind, key in targets:
                    yield Hit(kind, key, start, end)


def _is_word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")
