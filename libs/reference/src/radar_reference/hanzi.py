"""Traditional spellings of simplified Chinese names and phrases.

Hong Kong and Taiwan news (明報, 經濟日報, 鉅亨) writes 騰訊, 寒武紀, 目標價, 評級下調 where
the reference file and the taxonomy have 腾讯, 寒武纪, 目标价, 评级下调; a name or a cue should
match in either script. `data/hanzi.tsv` gives each simplified character its standard
traditional, Hong Kong and Taiwan forms, as OpenCC converts the character alone (written by
`radar_reference.build_hanzi`); a text's spellings are its character-by-character
conversions. A character whose form depends on its word (发 is 發 or 髮) takes OpenCC's
default; a name that needs another form is spelled in `_WORDS`.
"""

from functools import cache
from pathlib import Path

CONFIGS = ("s2t", "s2hk", "s2tw")  # OpenCC's standard traditional, Hong Kong, Taiwan
DEFAULT_TABLE = Path(__file__).parent / "data" / "hanzi.tsv"
# Words whose traditional form is not character by character.
_WORDS = {"昆仑": "崑崙"}


@cache
def _tables() -> tuple[dict[int, str], ...]:
    """One translation table per configuration."""
    tables: tuple[dict[int, str], ...] = tuple({} for _ in CONFIGS)
    for line in DEFAULT_TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            simplified, *forms = line.split("\t")
            for table, form in zip(tables, forms, strict=True):
                if form != simplified:
                    table[ord(simplified)] = form
    return tables


def traditional_spellings(text: str) -> tuple[str, ...]:
    """The traditional spellings of a simplified text that differ from it, each once
    (none for a text with no simplified character)."""
    if text.isascii():
        return ()
    worded = text
    for simplified, spelled in _WORDS.items():
        worded = worded.replace(simplified, spelled)
    spelled_forms = (worded.translate(table) for table in _tables())
    return tuple(dict.fromkeys(s for s in spelled_forms if s != text))
