"""Text normalisation fuzzed against the patterns it replaced: the news normaliser's and the
tagger's line-break patterns now match only from the start of a whitespace run (linear time),
and must give the same output on any text."""

import re

from hypothesis import given
from hypothesis import strategies as st

from radar_news.domain.text import plain_text
from radar_tagger.domain.text import segments

from ..tagger.test_text_segments import old_segments
from .budget import FUZZ

_OLD_SPACE = re.compile(r" [ \t\r\f\v\u00a0]+|[\t\r\f\v\u00a0][ \t\r\f\v\u00a0]*")
_OLD_LINES = re.compile(r"\s*\n\s*")
# Whitespace of every kind, sentence ends and capitals: where the two patterns could differ.
TEXTS = st.text(
    st.sampled_from(list(' \t\n\r\f\v\u00a0\u2003\u3000\u2028\x1c\x85.!?Aa1("')), max_size=60
) | st.text(max_size=60)


def old_plain_text(text: str) -> str:
    text = _OLD_SPACE.sub(" ", text)
    return (_OLD_LINES.sub("\n", text) if "\n" in text else text).strip()


@FUZZ
@given(TEXTS)
def test_plain_text_matches_the_old_patterns(text: str) -> None:
    assert plain_text(text) == old_plain_text(text)


@FUZZ
@given(TEXTS, st.text(max_size=5))
def test_segments_match_the_old_patterns(text: str, title: str) -> None:
    assert segments(title, text) == old_segments(title, text)
