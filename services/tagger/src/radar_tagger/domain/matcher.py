"""One Aho-Corasick automaton over every cue and alias, matched on whole words."""

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import ahocorasick


class Hit(NamedTuple):
    """One phrase found in a text (a tuple: a text has dozens, made in the hot loop)."""

    kind: str  # "cue", "with_ai", "group", "ai", "pos", "neg", "tpos", "tneg", "negation", ...
    key: str  # theme id, company id, "theme|group index", or ""
    start: int
    end: int  # exclusive


# Hit(kind, key, start, end) through tuple.__new__ directly: half the cost of the named
# tuple's generated __new__ (a text makes a few dozen hits, twice).
new_hit: Callable[[tuple[str, str, int, int]], Hit] = partial(tuple.__new__, Hit)


class Matcher:
    """Finds every registered phrase in a text in one pass."""

    def __init__(self, phrases: list[tuple[str, str, str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, set[tuple[str, str]]] = {}
        for phrase, kind, key in phrases:
            entries.setdefault(phrase.lower().strip(), set()).add((kind, key))
        for phrase, targets in entries.items():
            if phrase:
                (kind, key), *more = sorted(targets)
                # Chinese and Japanese write without spaces: a CJK end of a phrase needs no
                # word boundary on its side ("芒果超媒" inside "芒果超媒发布").
                left, right = not _is_cjk(phrase[0]), not _is_cjk(phrase[-1])
                # Flat, and the first target apart: nearly every phrase has only one.
                value = (len(phrase), left, right, kind, key, tuple(more))
                self._automaton.add_word(phrase, value)
        self._automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Every whole-word occurrence of every phrase, in order of their end."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters lower-case to two: keep offsets
            lowered = "".join(c.lower()[:1] for c in text)
        found: list[Hit] = []
        padded = f" {lowered} "  # one position more each side: no bounds to check
        binds = _BINDS
        for end_index, (length, left, right, kind, key, more) in self._automaton.iter(lowered):
            # Whole words only; inline, since most reports fall inside a word ("u", a
            # ticker, inside "but"): about 35 reports a text, 13 of them pass.
            start = end_index - length + 1
            if left and binds[padded[start]]:
                continue
            end = end_index + 1
            if right and binds[padded[end + 1]]:
                continue
            found.append(new_hit((kind, key, start, end)))
            if more:
                found += [new_hit((other, its_key, start, end)) for other, its_key in more]
        return found


class _Binding(dict[str, bool]):
    """Character -> whether it continues a word (a letter, digit or "_" that is not CJK),
    worked out once per character (remembered for the first few thousand characters seen,
    so that a text of every code point cannot grow it without bound)."""

    def __missing__(self, character: str) -> bool:
        binds = (character.isalnum() or character == "_") and not _is_cjk(character)
        if len(self) < _REMEMBERED:
            self[character] = binds
        return binds


_REMEMBERED = 8192


_BINDS = _Binding()


def _is_cjk(character: str) -> bool:
    return "\u3400" <= character <= "\u9fff" or "\u3040" <= character <= "\u30ff"
