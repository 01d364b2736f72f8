"""Sparse features of a text for the tagger's linear models: words, word pairs, CJK
character pairs and the rules' findings.

Pure and cheap: one regular-expression pass per text, no vocabulary needed (the model keeps
weights for the features it knows and ignores the rest).
"""

import re
from collections.abc import Iterable, Mapping, Set
from itertools import pairwise

from radar_schemas import Theme

from .themes import POLARITY_MARGIN, Votes

# A word: letters and digits, with inner apostrophes, ampersands, dots or hyphens and a
# trailing plus ("gpt-4o", "s&p", "advantage+"). A CJK run comes out whole (no spaces there).
_TOKEN = re.compile(r"[^\W_]+(?:[&'.-][^\W_]+)*\+?")
_DIGIT = re.compile(r"\d")
# The same on lower-cased ASCII text (where [^\W_] is [a-z0-9] and \d is [0-9]): a set of
# bytes instead of Unicode categories looked up per character.
_ASCII_TOKEN = re.compile(r"[a-z0-9]+(?:[&'.-][a-z0-9]+)*\+?")
_ZERO = str.maketrans("123456789", "000000000")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_RUNS = re.compile(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "at",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "its",
        "it",
        "that",
        "this",
        "these",
        "those",
        "their",
        "his",
        "her",
        "our",
        "your",
        "has",
        "have",
        "had",
        "will",
        "would",
    ]
)


def tokens(text: str) -> list[str]:
    """Lower-cased words; digits become 0 ("1.3" and "2.5" are one feature); each run of CJK
    characters becomes its overlapping character pairs (Chinese has no spaces)."""
    lowered = text.lower()
    if lowered.isascii():  # most text: the same tokens through ASCII-only (faster) steps
        return _ASCII_TOKEN.findall(lowered.translate(_ZERO))
    found: list[str] = _TOKEN.findall(_DIGIT.sub("0", lowered))
    if not _CJK.search(text):
        return found
    out: list[str] = []
    for token in found:
        if not _CJK.search(token):
            out.append(token)
            continue
        for run in _CJK_RUNS.findall(token):
            if _CJK.match(run):
                out += [run[i : i + 2] for i in range(max(1, len(run) - 1))]
            else:
                out.append(run)
    return out


def text_features(text: str, prefix: str = "") -> set[str]:
    """Words (without the commonest function words) and adjacent word pairs."""
    return _features(tokens(text), prefix)


def _features(words: list[str], prefix: str = "") -> set[str]:
    pairs = map(" ".join, pairwise(words))
    if not prefix:
        out = set(words) - _STOP
        out.update(pairs)
        return out
    out = {prefix + w for w in words if w not in _STOP}
    out.update(prefix + p for p in pairs)
    return out


def document_features(title: str, text: str) -> set[str]:
    """Features of a whole document: its words and pairs, and the headline's words marked
    as such (a headline says what the story is about)."""
    return sentence_features([(title, True, False), (text, False, False)])


def sentence_features(sentences: Iterable[tuple[str, bool, bool]]) -> set[str]:
    """The words and word pairs of each (sentence, in the headline, speaks of AI), pairs
    within a sentence only; those of the headline also marked "t:", those of a sentence that
    speaks of AI also "ai:" ("revenue" beside "AI" says more than "revenue" alone)."""
    out: set[str] = set()
    for sentence, in_title, speaks_of_ai in sentences:
        found = _features(tokens(sentence))
        out |= found
        if in_title:
            out.update(["t:" + f for f in found])
        if speaks_of_ai:
            out.update(["ai:" + f for f in found])
    return out


# Words that turn round what follows them in their clause ("did not raise", "fails to
# beat", 未能达到); a clause ends at punctuation or a contrasting conjunction.
_NEGATION_WORDS = (
    "not no never without fails failed fail unable cannot can't didn't doesn't don't isn't "
    "wasn't won't hasn't haven't aren't weren't didn doesn isn wasn hasn aren weren neither "
    "nor lack lacks lacked 未能 没有 不及 未达 低于 不如 无法 不会"
)
_NEGATIONS = frozenset(_NEGATION_WORDS.split())
_CLAUSES = re.compile(
    r"[,;:()\[\]，；：（）。]|\s[-–—]\s|\b(?:but|while|whereas|although|though|yet|however)\b"
)


def scoped_features(sentence: str) -> set[str]:
    """The words after a negation in its clause, marked "not:" ("not:beat", "not:raise"):
    the same word means the opposite there."""
    out: set[str] = set()
    for clause in _CLAUSES.split(sentence.lower()):
        words = tokens(clause)
        for n, word in enumerate(words):
            if word in _NEGATIONS:
                out.update("not:" + w for w in words[n + 1 : n + 5] if w not in _STOP)
                break
    return out


def sign_of(score: float) -> str:
    return "+" if score >= POLARITY_MARGIN else "-" if score <= -POLARITY_MARGIN else "0"


def rule_features(votes: Mapping[Theme, Votes]) -> set[str]:
    """What the rules found: each theme, how (a cue, or only the subject company) and the
    net direction of the polarity cues around it."""
    out: set[str] = set()
    for theme, vote in votes.items():
        how = "company" if vote.by_company else "cue"
        sign = sign_of(vote.score)
        out.update((f"rule:{theme}", f"rule:{theme}:{how}", f"rule:{theme}:{sign}"))
    return out


def polarity_features(
    theme: Theme, vote: Votes, headline_marks: Set[str] = frozenset()
) -> set[str]:
    """A theme's polarity input: the words of its evidence sentences, the rules' net
    direction, alone and for this theme, and the document's `headline_features` (a headline
    says which way the story goes: "chip stocks fall for a second day")."""
    out = {f"theme:{theme}", f"rule:{sign_of(vote.score)}", f"{theme}:rule:{sign_of(vote.score)}"}
    for evidence in vote.evidence:
        out.update(text_features(evidence.sentence))
        out.update(scoped_features(evidence.sentence))
    return out | headline_marks


def headline_features(headline: str) -> set[str]:
    """The headline's words, pairs and negated words, marked "h:" (one set per document,
    for each of its themes)."""
    return {"h:" + f for f in text_features(headline) | scoped_features(headline)}


def mood_feature(votes: Mapping[Theme, Votes]) -> str:
    """The rules' net direction over all themes of a document (an input to its sentiment)."""
    return f"doc:rule:{sign_of(sum(v.score for v in votes.values()))}"
