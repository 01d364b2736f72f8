"""One Aho-Corasick automaton over every cue and alias, matched on whole words."""

from typing import NamedTuple

import ahocorasick


class Hit(NamedTuple):
    """One phrase found in a text (a tuple: a text has dozens, made in the hot loop)."""

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
                # Chinese and Japanese write without spaces: a CJK end of a phrase needs no
                # word boundary on its side ("芒果超媒" inside "芒果超媒发布").
                bounded = (not _is_cjk(phrase[0]), not _is_cjk(phrase[-1]))
                self._automaton.add_word(phrase, (len(phrase), tuple(sorted(targets)), bounded))
        self._automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Every whole-word occurrence of every phrase, in order of their end."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters lower-case to two: keep offsets
            lowered = "".join(c.lower()[:1] for c in text)
        found = []
        padded = f" {lowered} "  # one position more each side: no bounds to check
        for end_index, (length, targets, bounded) in self._automaton.iter(lowered):
            # Whole words only; inline, since most reports fall inside a word (the check
            # runs about 17 times a text, 4 of them pass).
            before, after = padded[end_index - length + 1], padded[end_index + 2]
            if (before.isalnum() or before == "_") and bounded[0] and not _is_cjk(before):
                continue
            if (after.isalnum() or after == "_") and bounded[1] and not _is_cjk(after):
                continue
            start, end = end_index - length + 1, end_index + 1
            found += [Hit(kind, key, start, end) for kind, key in targets]
        return found


def _is_cjk(character: str) -> bool:
    return "\u3400" <= character <= "\u9fff" or "\u3040" <= character <= "\u30ff"
