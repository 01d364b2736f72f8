"""Aho-Corasick automata over every cue and alias, matched on whole words."""

import re
from collections.abc import Callable
from functools import partial
from operator import itemgetter
from typing import NamedTuple

import ahocorasick

from radar_reference.hanzi import traditional_spellings


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
    """Finds every registered phrase, in its simplified and traditional Chinese spellings
    when it has Chinese characters, in a text: one pass for the phrases with a letter of a
    spaced script, and one more, only over a text that has Chinese or Japanese characters,
    for the phrases written in those alone (thousands of listed companies' names, which
    would otherwise slow the scan of every English text)."""

    def __init__(self, phrases: list[tuple[str, str, str]]) -> None:
        entries = spelled_entries(phrases)
        self._automaton = _automaton(
            {p: t for p, t in entries.items() if p and not _CJK_ONLY.fullmatch(p)}
        )
        self._cjk_automaton = _automaton(
            {p: t for p, t in entries.items() if p and _CJK_ONLY.fullmatch(p)}
        )

    def find(self, text: str) -> list[Hit]:
        """Every whole-word occurrence of every phrase, in order of their end."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters lower-case to two: keep offsets
            lowered = "".join(c.lower()[:1] for c in text)
        found = self._scan(self._automaton, lowered)
        if _CJK.search(lowered):
            found += self._scan(self._cjk_automaton, lowered)
            found.sort(key=_end)
        return found

    @staticmethod
    def _scan(automaton: ahocorasick.Automaton, lowered: str) -> list[Hit]:
        found: list[Hit] = []
        if not len(automaton):
            return found
        padded = f" {lowered} "  # one position more each side: no bounds to check
        binds = _BINDS
        for end_index, (length, left, right, kind, key, more) in automaton.iter(lowered):
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


def spelled_entries(phrases: list[tuple[str, str, str]]) -> dict[str, set[tuple[str, str]]]:
    """Each phrase (lower-cased) with what it finds, a Chinese one also in its traditional
    spellings (目标价 is 目標價 in Hong Kong and Taiwan news)."""
    entries: dict[str, set[tuple[str, str]]] = {}
    for phrase, kind, key in phrases:
        entries.setdefault(phrase.lower().strip(), set()).add((kind, key))
        if _CJK.search(phrase):
            for spelled in traditional_spellings(phrase):
                entries.setdefault(spelled.lower().strip(), set()).add((kind, key))
    return entries


def _automaton(entries: dict[str, set[tuple[str, str]]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for phrase, targets in entries.items():
        (kind, key), *more = sorted(targets)
        # Chinese and Japanese write without spaces: a CJK end of a phrase needs no word
        # boundary on its side ("芒果超媒" inside "芒果超媒发布").
        left, right = not _is_cjk(phrase[0]), not _is_cjk(phrase[-1])
        # Flat, and the first target apart: nearly every phrase has only one.
        automaton.add_word(phrase, (len(phrase), left, right, kind, key, tuple(more)))
    if len(automaton):
        automaton.make_automaton()
    return automaton


_end = itemgetter(3)  # a hit's end, read in C (the sort of a Chinese text's hits)


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


_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff]")
# Phrases written in Chinese or Japanese characters alone (punctuation and digits may join
# them: "中国建筑(集团)" is one); any Latin letter puts a phrase in the first automaton.
_CJK_ONLY = re.compile("[\u3040-\u30ff\u3400-\u9fff][^a-z]*")
