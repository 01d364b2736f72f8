"""Where the figures of a text are: the figure pattern ("$58.1 billion", "-12%", "4.5亿元",
"two billion"), and a scan that tries it only where a figure can start.

The quantities module reads what each match states (kind, sign, unit, period).
"""

import re
from collections.abc import Iterator

_CUR = r"(?P<cur>us\$|hk\$|nt\$|[sac]\$|[$€£¥￥₩]|(?:usd|rmb|cny|hkd|eur|gbp|jpy|krw|twd)\s?)"
_SCALE = (
    r"(?P<scale>thousand|million|billion|trillion|quadrillion|milliarden|milliards?|mrd|"
    r"millionen|millions|bn|mn|mln|bln|tn|[kmbt]|"
    r"万亿|千亿|百亿|十亿|千万|百万|十万|亿|万|萬億|千億|百億|十億|千萬|百萬|十萬|億|萬|兆|"
    r"个亿|個億|조|억|만)"
)
# "6090億1500万元", "76조6535억원": a smaller unit after 亿, 億 or 조.
_REST = r"(?:(?<=[亿億조])(?P<rest>\d{1,4})(?P<rest_scale>[万萬억]))?"
FIGURE = re.compile(
    rf"(?P<sign>[-−–])?{_CUR}?(?:(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)|\b(?P<word>one|two|three|"
    r"four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety)(?=\s(?:thousand|million|billion|trillion|quadrillion)\b))"
    rf"\+?\s?(?:{_SCALE}(?![a-z]){_REST})?\+?\s?"
    r"(?P<pct>%|％|percent\b|per cent\b|个百分点|percentage points?\b|Prozent\b)?"
    r"(?P<times>(?<!\s)[x×](?![\w])|倍)?"
    r"(?P<after>元人民币|元|人民币|人民幣|港元|港币|港幣|美元|美金|日元|日圓|韩元|欧元|歐元|新台幣|台幣|원|"
    r"\s?(?:de\s)?(?:yuans?|renminbi|yen|won|euros?|dollars|cents?|usd|rmb|hkd|cny|eur|jpy|krw)\b)?",
    re.I,
)
# Where a figure's number can be: a digit, or a scale after which a number word can stand.
# re.I is slow on alternatives (tried at each character); each letter's cases spelled out
# (with the two non-ASCII letters re.I also takes for "i" and "s") let re skip ahead.
_FOLDS = {"i": "İı", "s": "ſ"}


def _anycase(text: str) -> str:
    return "".join(f"[{c}{c.upper()}{_FOLDS.get(c, '')}]" for c in text)


_SCALE_WORDS = ("thousand", "million", "billion", "trillion", "quadrillion")
_FIGURE_AT = re.compile(
    rf"[\d{''.join(_anycase(w[0])[1:-1] for w in _SCALE_WORDS)}](?:(?<=\d)|"
    + "|".join(f"(?<={_anycase(w[0])}){_anycase(w[1:])}" for w in _SCALE_WORDS)
    + ")"
)
_LEAD = 5  # characters of a figure before its number: a sign and "usd "


def figures(text: str) -> Iterator[re.Match[str]]:
    """The matches of `FIGURE.finditer(text)`, tried only where one can start: a few
    characters before a digit or a number word. FIGURE scanned on its own tried its many
    optional parts at every character of the text (most of the time of reading figures)."""
    tried = 0  # the end of the last match
    for start in _starts(text):
        match = FIGURE.match(text, start) if start >= tried else None
        if match is not None:
            yield match
            tried = match.end()


def _starts(text: str) -> list[int]:
    """Where a figure can start, in order: within _LEAD characters (a sign and "usd ")
    before its number, which is a digit or a number word followed by a space and a scale
    ("two billion")."""
    starts: set[int] = set()
    for found in _FIGURE_AT.finditer(text):
        first = last = found.start()
        if found.end() - first > 1:  # a scale: its number word starts 4 to 6 characters before
            first, last = first - len(" three"), first - len(" one")
        starts.update(range(max(0, first - _LEAD), last + 1))
    return sorted(starts)
