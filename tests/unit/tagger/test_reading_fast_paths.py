"""The rules' reading takes shortcuts that must not change what it finds: the matcher's flat
phrase table against a brute-force whole-word search, and a document whose only possible
company names are lower-case words that are also tickers against the full reading."""

import pytest
from corpus_texts import documents as _documents

from radar_tagger.domain.entities import is_plain_word
from radar_tagger.domain.matcher import _BINDS, Hit, spelled_entries
from radar_tagger.domain.tagger import Reading, Tagger
from radar_tagger.loading import build_tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return build_tagger()


Targets = dict[str, set[tuple[str, str]]]  # a lower-cased phrase: its (kind, key) pairs


def _targets(phrases: list[tuple[str, str, str]]) -> Targets:
    """The phrase table (each Chinese phrase in its traditional spellings too) that the
    automata are built from; what is checked here is how they scan."""
    return {p: kinds for p, kinds in spelled_entries(phrases).items() if p}


def _brute_force_hits(targets: Targets, text: str) -> list[Hit]:
    """Every occurrence of every phrase found with str.find, kept where no word character
    (a letter, digit or "_" that is not CJK) continues it on a side that is not CJK."""
    lowered = "".join(c.lower()[:1] for c in text)
    # A phrase can occur only where its first two characters do: a set lookup rules out
    # most of the ~20,000 phrases before the search through the text (same result).
    pairs = {lowered[i : i + 2] for i in range(len(lowered))} | set(lowered)
    found = []
    for phrase, kinds in targets.items():
        if phrase[:2] not in pairs:
            continue
        at = lowered.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            left = _cjk(phrase[0]) or at == 0 or not _BINDS[lowered[at - 1]]
            right = _cjk(phrase[-1]) or end == len(lowered) or not _BINDS[lowered[end]]
            if left and right:
                found += [Hit(kind, key, at, end) for kind, key in sorted(kinds)]
            at = lowered.find(phrase, at + 1)
    # The automaton's order: by end, the longer phrase first, then the phrase's targets.
    return sorted(found, key=lambda h: (h.end, h.start, h.kind, h.key))


def _cjk(character: str) -> bool:
    return "\u3400" <= character <= "\u9fff" or "\u3040" <= character <= "\u30ff"


def test_matcher_finds_what_a_brute_force_whole_word_search_finds(tagger: Tagger) -> None:
    targets = _targets(tagger.themes.phrases() + tagger.entities.phrases(tagger.reference))
    texts = [t for pair in _documents()[::4] for t in pair if t]
    assert len(texts) > 300
    for text in texts:
        assert tagger.matcher.find(text) == _brute_force_hits(targets, text), text[:80]


def _full_reading(tagger: Tagger, title: str, text: str) -> Reading:
    """The reading as it was before the plain-word shortcut: every step for every document
    with a possible theme or company hit."""
    parts = tagger._read(title, text)
    if not any(
        h.kind in ("cue", "with_ai", "group", "company", "ticker") for _, hs in parts for h in hs
    ):
        return Reading(parts, {}, set(), [], {})
    mentions = tagger.entities.mentions(parts)
    measured = tagger.entities.measured_against(parts, mentions)
    subjects = tagger.entities.subjects(mentions) - measured
    ai_flags = tagger._speaks_of_ai(parts, mentions)
    votes = tagger.themes.votes(parts, ai_flags, subjects, tagger._focus(subjects))
    votes = {t: v for t, v in votes.items() if tagger._allowed(t, ai_flags, subjects)}
    return Reading(parts, mentions, subjects, ai_flags, votes, measured)


def _only_plain_words(reading: Reading) -> bool:
    names = [
        (s, h)
        for s, hits in reading.parts
        for h in hits
        if h.kind in ("cue", "with_ai", "group", "company", "ticker")
    ]
    return bool(names) and all(is_plain_word(s, h) for s, h in names)


def test_documents_naming_only_plain_words_read_as_the_full_reading_reads_them(
    tagger: Tagger,
) -> None:
    shortcut = 0
    for title, text in _documents():
        reading = tagger.read(title, text)
        shortcut += _only_plain_words(reading)
        assert reading == _full_reading(tagger, title, text), title
    assert shortcut > 50  # the shortcut is taken on real news, and gives the same reading


def test_a_lower_case_ticker_is_a_plain_word_and_never_a_company(tagger: Tagger) -> None:
    reading = tagger.read("", "Shares now trade higher than a week before.")
    assert _only_plain_words(reading)
    assert reading.mentions == {} and reading.votes == {}
    shouted = tagger.read("", "NOW (NYSE: NOW) shares trade higher.")
    assert not _only_plain_words(shouted)
    assert list(shouted.mentions) == ["NOW"]
