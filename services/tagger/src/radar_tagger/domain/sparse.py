"""A document's rows in a linear model's matrix, found from its words without building the
feature strings.

The same features as `features.sentence_features` (words without the commonest function
words, adjacent word pairs, their headline copies "t:" and AI-sentence copies "ai:"), but each
looked up straight in the model: a pair is a tuple of its two words (no joined string to make
and hash), a headline or AI copy is a lookup in its own table (no prefixed string). Building
those strings, and then matching the few hundred of them against the model, was a third of
the tagger's time; most of them are not in the model anyway.
"""

from collections.abc import Iterable, Mapping
from itertools import islice

from .features import _STOP, tokens

Key = str | tuple[str, str]  # a word, or an adjacent pair of words
_TITLE, _AI = "t:", "ai:"


class TextRows:
    """The rows of a model's text features, in three tables keyed by the words: plain, as
    in a headline, as in a sentence that speaks of AI."""

    def __init__(self, index: Mapping[str, int]) -> None:
        self.plain: dict[Key, int] = {}
        self.title: dict[Key, int] = {}
        self.ai: dict[Key, int] = {}
        words: dict[str, str] = {}  # one string object per word, shared by the keys
        for feature, row in index.items():
            table, text = self._table(feature)
            if table is not None:
                table[_key(text, words)] = row

    def _table(self, feature: str) -> tuple[dict[Key, int] | None, str]:
        """Which table a feature's row belongs in, and the words it stands for. Words have
        no colon (see features.tokens): a feature with one is a finding of the rules."""
        for prefix, table in ((_TITLE, self.title), (_AI, self.ai), ("", self.plain)):
            if feature.startswith(prefix) and ":" not in feature[len(prefix) :]:
                text = feature[len(prefix) :]
                return (None if text in _STOP else table), text
        return None, feature

    def rows(self, sentences: Iterable[tuple[str, bool, bool]]) -> set[int]:
        """The rows of the text features of (sentence, in the headline, speaks of AI)."""
        found: set[int | None] = set()
        plain, title, ai = self.plain.get, self.title.get, self.ai.get
        for sentence, in_title, speaks_of_ai in sentences:
            words = tokens(sentence)
            found.update(map(plain, words))
            found.update(map(plain, zip(words, islice(words, 1, None), strict=False)))
            if in_title or speaks_of_ai:  # one sentence in ten
                keys: list[Key] = [*words, *zip(words, islice(words, 1, None), strict=False)]
                found.update(map(title if in_title else ai, keys))
                if in_title and speaks_of_ai:
                    found.update(map(ai, keys))
        found.discard(None)
        return found  # type: ignore[return-value]  # None was the only non-row


def _key(text: str, words: dict[str, str]) -> Key:
    """A word, or a pair of words as a tuple (words hold no space)."""
    first, space, second = text.partition(" ")
    if not space:
        return words.setdefault(text, text)
    return words.setdefault(first, first), words.setdefault(second, second)
