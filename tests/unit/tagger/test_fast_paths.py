"""The tagger's fast paths give what the plain forms they replace give: the model's scores
from word tables against the scores of the feature strings, sentence ends matched from the
punctuation mark, figures matched only near numbers, word boundaries from a remembered table."""

import re

import pytest
from corpus_texts import documents as _documents
from hypothesis import given, settings
from hypothesis import strategies as st

from radar_tagger.domain import features, figures, matcher, themes
from radar_tagger.domain.entities import EntityFinder
from radar_tagger.domain.matcher import Hit
from radar_tagger.domain.model import LinearModel
from radar_tagger.domain.sparse import TextRows
from radar_tagger.domain.tagger import Tagger
from radar_tagger.domain.text import segments
from radar_tagger.loading import build_tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return build_tagger()


def test_text_rows_find_the_rows_of_words_pairs_headline_and_ai_copies() -> None:
    index = {"revenue": 0, "ai revenue": 1, "t:cuts": 2, "ai:revenue": 3, "rule:x": 4, "the": 5}
    rows = TextRows(index)
    assert rows.rows([("AI revenue", False, False)]) == {0, 1}
    assert rows.rows([("Nvidia cuts", True, False), ("AI revenue", False, True)]) == {0, 1, 2, 3}
    assert rows.rows([("cuts the rule:x", False, False)]) == set()  # no copies, no findings


def test_model_scores_from_the_word_tables_equal_those_of_the_feature_strings(
    tagger: Tagger,
) -> None:
    learned = tagger.learned
    assert learned is not None
    both = LinearModel.stacked(tagger.model.themes, tagger.model.sentiment)  # type: ignore[union-attr]
    documents = _documents()
    assert len(documents) > 1000
    for title, text in documents:
        reading = tagger.read(title, text)
        expected = both.scores(tagger.features(title, text, reading))
        found = learned.scores(tagger.sentences(reading), tagger.findings(reading))
        assert found == pytest.approx(expected, rel=1e-9, abs=1e-9), title


# The sentence-end pattern as it was, with lookbehinds: tried at every position.
_LOOKBEHIND_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(A-Z0-9])|(?<=[。！？；])\s*(?=\S)")
_LOOKBEHIND_BOUNDARY = re.compile(_LOOKBEHIND_END.pattern + r"|(?<!\s)\s*\n\s*")


def _lookbehind_segments(text: str) -> list[tuple[str, int]]:
    pattern = _LOOKBEHIND_BOUNDARY if "\n" in text else _LOOKBEHIND_END
    out, start = [], 0
    for boundary in [*pattern.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        if text[start:end].strip():
            out.append((text[start:end], start))
        start = boundary.end() if boundary else len(text)
    return out


_PIECES = st.sampled_from([".", "!", "?", "。", "！", "；", " ", "  ", "\n", "\t", "\u3000", '"',
                           "(", "A", "a", "0", "中", "x. ", "。\n"])  # fmt: skip


@given(st.lists(_PIECES, max_size=16).map("".join))
def test_sentences_end_where_the_lookbehind_pattern_ended_them(text: str) -> None:
    found = [(s.text, s.start) for s in segments("", text)]
    assert found == _lookbehind_segments(text)


def test_sentences_of_real_texts_end_where_the_lookbehind_pattern_ended_them() -> None:
    for _, text in _documents():
        assert [(s.text, s.start) for s in segments("", text)] == _lookbehind_segments(text)


def _old_figures(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in figures.FIGURE.finditer(text)]


def _figures(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in figures.figures(text)]


def test_figures_are_those_the_pattern_finds_on_every_real_text() -> None:
    texts = [t for title, text in _documents() for t in (title, text)]
    assert sum(bool(_old_figures(t)) for t in texts) > 300
    for text in texts:
        assert _figures(text) == _old_figures(text), text[:80]


_NUMBERISH = st.sampled_from(["$", "US$", "hk$", "usd ", "RMB", "-", "−", "1", "12", "3.5", "1,000",
                              ",", " ", "one", "Two", "ten", "twone", "ſix", "fİve", "MILLION",
                              "billıon", " bn", "%", "percent", "元", "亿", "美元", "yuan", "x",
                              "\u0661", "+"])  # fmt: skip


@given(st.lists(_NUMBERISH, max_size=14).map("".join))
def test_figures_are_those_the_pattern_finds_on_any_text(text: str) -> None:
    assert _figures(text) == _old_figures(text)


def test_spelled_out_cases_are_exactly_what_ignorecase_matches() -> None:
    cased = [c for c in map(chr, range(0x110000)) if c.lower() != c or c.upper() != c]
    for letter in set("".join(figures._SCALE_WORDS)):
        spelled = re.compile(figures._anycase(letter))
        ignoring = re.compile(letter, re.I)
        for character in cased:
            assert bool(spelled.fullmatch(character)) == bool(ignoring.fullmatch(character))


def test_word_characters_are_remembered_up_to_a_bound() -> None:
    binds = matcher._Binding()
    for character in "aZ9_é中あ -&.":
        expected = (character.isalnum() or character == "_") and not matcher._is_cjk(character)
        assert binds[character] == expected
    for code in range(0x10000, 0x10000 + 2 * matcher._REMEMBERED):
        binds[chr(code)]
    assert len(binds) == matcher._REMEMBERED


def _unicode_tokens(text: str) -> list[str]:
    found: list[str] = features._TOKEN.findall(features._DIGIT.sub("0", text.lower()))
    return found


_ASCII_PIECES = st.sampled_from(["AI", "gpt-4o", "S&P", "advantage+", "3.5", "19", "don't",
                                 "_x_", " ", ".", "-", "'", "+", "Q3", "a.b"])  # fmt: skip


@given(st.lists(_ASCII_PIECES, max_size=12).map("".join))
def test_ascii_text_gives_the_tokens_of_the_unicode_path(text: str) -> None:
    assert features.tokens(text) == _unicode_tokens(text)


def test_real_ascii_texts_give_the_tokens_of_the_unicode_path() -> None:
    texts = [t for pair in _documents() for t in pair if t.lower().isascii()]
    assert len(texts) > 1000
    for text in texts:
        assert features.tokens(text) == _unicode_tokens(text), text[:80]


def _nested_by_brute_force(finding: list[Hit], idioms: list[Hit]) -> list[Hit]:
    def inside(hit: Hit, outer: Hit) -> bool:
        longer = (outer.end - outer.start) > (hit.end - hit.start)
        return outer.start <= hit.start and hit.end <= outer.end and longer

    return [
        h
        for h in finding
        if not any(inside(h, o) and o.key.split("|")[0] != h.key.split("|")[0] for o in finding)
        and not any(i.start <= h.start and h.end <= i.end for i in idioms)
    ]


_HITS = st.lists(
    st.builds(
        lambda key, start, length: Hit("group", key, start, start + length),
        st.sampled_from(["ai_ip|0|0", "ai_ip|0|1", "ai_gaming|2|0", "ai_film_tv"]),
        st.integers(0, 6),
        st.integers(1, 6),
    ),
    max_size=6,
)


@settings(max_examples=1000)
@given(_HITS, _HITS)
def test_hits_kept_are_those_inside_no_longer_hit_of_another_theme(
    finding: list[Hit], idioms: list[Hit]
) -> None:
    finding.sort(key=lambda h: h.end)  # the matcher's order
    assert themes._outermost(finding, idioms) == _nested_by_brute_force(finding, idioms)


def test_two_automata_find_what_one_over_every_phrase_finds(tagger: Tagger) -> None:
    # The phrases in Chinese or Japanese characters alone are scanned for only in a text that
    # has such characters; one automaton over every phrase, scanning every text, is the slow
    # path. Real texts: English, Chinese, Japanese and mixed.
    phrases = tagger.themes.phrases() + EntityFinder.phrases(tagger.reference)
    entries = matcher.spelled_entries(phrases)
    everything = matcher._automaton({p: t for p, t in entries.items() if p})
    texts = [t for pair in _documents() for t in pair if t]
    assert sum(bool(matcher._CJK.search(t)) for t in texts) > 500
    for text in texts:
        found = tagger.matcher.find(text)
        slow = matcher.Matcher._scan(everything, text.lower())
        assert sorted(found) == sorted(slow), text[:80]
        assert [h.end for h in found] == sorted(h.end for h in found)
