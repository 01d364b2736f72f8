"""The period a figure covers, or for a change what it compares with: named next to it, set
earlier in its sentence ("2025年第三季度财报…营收"), or by the document (a quarterly report).
"""

import re
from collections import deque

from . import figure_words as w

# A document about quarterly, half-year or yearly results: a figure of money with no period
# of its own (nor one set earlier in its sentence) covers that period.
_QUARTERLY = re.compile(
    r"quarter|quartal|trimestre|\bq[1-4]\b|季度|季报|季報|第\s?[一二三四1-4]\s?季|"
    r"\d\s?[−~～-]\s?\d{1,2}\s?月期",
    re.I,
)
_HALF = re.compile(r"first half|\bh1\b|上半年|半年度|半年报|半年報|中期业绩|中期業績", re.I)
_YEARLY = re.compile(r"full[- ]year|fiscal year|annual results|年报|年報|全年|年度业绩|通期", re.I)
# A margin or market share named just before a share figure, in its clause ("毛利率攀升至55.0%").
_MARGIN = re.compile(
    r"margin|market share|毛利率|净利率|淨利率|利润率|利潤率|市场份额|市場份額|份额|份額", re.I
)
_MARGIN_REACH = 20  # characters before the figure
_RESULTS_KINDS = frozenset({"revenue", "profit", "eps", "capex"})
_SENTENCE_END = re.compile(r"[.!?。！？]\s|[。！？]")
_NO_SPAN = ""  # a sentence naming nine months: no period, whatever the document covers
# A share's move this large with no period named is not read as one session's (on the
# training part, 3 of 25 such moves were labelled a day's, 10 no period, 12 a year's).
ONE_SESSION_LIMIT = 50.0


def of_results(text: str, start: int, kind: str) -> bool:
    """A result (revenue, profit, EPS), an amount named as one just before it, or a margin or
    market share so named ("毛利率攀升至55.0%", "三星以32.3%领跑" after "份额")."""
    if kind in _RESULTS_KINDS:
        return True
    if kind == "share":
        clause = text[max(0, start - _MARGIN_REACH) : start]
        return bool(_MARGIN.search(w.CLAUSE_END.split(clause)[-1]))
    return kind == "amount" and bool(w.RESULTS.search(text, max(0, start - 40), start))


def document_covers(text: str) -> str | None:
    """The results period of a document: a quarter if it names one, else a half, else a year
    if it names a full year; read once per document, and only for a result with no period."""
    if _QUARTERLY.search(text):
        return "quarter"
    return "half" if _HALF.search(text) else "year" if _YEARLY.search(text) else None


def span_in_sentence(text: str, start: int, kind: str = "") -> str | None:
    """The last results period named earlier in the figure's sentence ("2025年第三季度", "上半年",
    "2025 年，美图的收入"), _NO_SPAN for nine months, None when it names none. Capital spending
    with none is this year's when its clause says so, else of no span: a plan told in a
    quarter's report is not the quarter's."""
    window = text[max(0, start - 120) : start]
    found = _last_match(w.RESULTS_SPAN, window, max(0, _last(_SENTENCE_END, window)))
    if found is None and kind == "capex":
        return "year" if w.THIS_YEAR.search(clause_before(text, start)) else _NO_SPAN
    if found is None:
        return None
    index = int((found.lastgroup or "s0")[1:])
    return w.RESULTS_SPANS[index][0] or _NO_SPAN


def growth_period(
    before: str, after: str, wide: str, multiple: bool = False, size: float = 0.0
) -> str | None:
    """What a change compares with or covers: named just after it (up to the next figure
    or "and"), else last before it in its clause; else a year-to-date or "since" span opening
    its sentence; else a day for a share price's move and a year for a result's change. A
    multiple in words ("shares have doubled") is no day's move, nor is a move of half the
    price or more (`size`, in percent): one session rarely moves a share that far, and such a
    move is told over a span the text may leave implicit ("Coherent上涨104%")."""
    near_after = w.CLAUSE_MARK.split(after, maxsplit=1)[0]
    if w.UNSPANNED_AFTER.match(near_after):
        return None  # "15% upside from last week's close", "60% since its IPO"
    own_after = w.NEXT_FIGURE.split(near_after, maxsplit=1)[0]
    if w.STOCK.search(before):
        own_after, *cause = w.CAUSE.split(own_after, maxsplit=1)  # the cause is not its span
        said = w.MOVE_SPAN.search(own_after) or (w.MOVE_SPAN.search(cause[0]) if cause else None)
        if said is not None:
            return "year" if said["ytd"] else said["period"].lower()
    first = w.COMPARED_AT.search(own_after) or _last_match(w.COMPARED_AT, before)
    if first is not None:
        return w.COMPARED[int((first.lastgroup or "c0")[1:])][0]
    spanned = period_of(before, own_after)
    if spanned in w.SPANS:
        return spanned
    if w.YEAR_TO_DATE.search(before):
        return "year"  # "股价年内已大涨86%"
    sentence = wide[max(0, _last(w.SENTENCE_END, wide)) :]
    opens = w.SENTENCE_OPENS.match(sentence)
    if opens is not None and not w.PERCENT.search(sentence):
        return "year" if opens["year"] else None  # "今年以来，…录得超20%的涨幅"
    if w.UNSPANNED.search(wide) or w.UNSPANNED_CLAUSE.search(before):
        return None  # "a price target implying 20%", "股价累计下挫24%": no day's or year's move
    if _results_after_stock(before):
        return "year"  # "Palantir stock soars as revenue jumps 39%"
    if w.STOCK.search(wide) or (w.SESSION.search(sentence) and not w.RESULTS.search(sentence)):
        too_large = abs(size) >= ONE_SESSION_LIMIT and not w.ONE_DAY.search(before + own_after)
        return None if multiple or too_large else "day"
    return "year" if w.RESULTS.search(wide) else None


def clause_before(text: str, start: int) -> str:
    """The text of the clause before a figure (up to 80 characters)."""
    window = text[max(0, start - 80) : start]
    ends = list(w.CLAUSE_END.finditer(window))
    return window[ends[-1].end() :] if ends else window


def _results_after_stock(clause: str) -> bool:
    """A results word the clause names after a conjunction or colon that follows its last
    share word, or with no share word at all ("stock jumps 9% as cloud revenue climbs",
    "Baidu shares: AI cloud revenue rose"; not "英伟达股价受营收预期推动上涨")."""
    results = _last(w.RESULTS, clause)
    if results < 0:
        return False
    stock = _last(w.STOCK, clause[:results])
    return stock < 0 or bool(w.TURN.search(clause, stock, results))


def _last_match(pattern: "re.Pattern[str]", text: str, pos: int = 0) -> "re.Match[str] | None":
    """The last match of a pattern in the text from `pos`, None when there is none."""
    last = deque(pattern.finditer(text, pos), maxlen=1)
    return last[0] if last else None


def _last(pattern: "re.Pattern[str]", text: str) -> int:
    """Where the last match of a pattern ends in the text, -1 when there is none."""
    found = _last_match(pattern, text)
    return -1 if found is None else found.end()


def period_of(before: str, after: str) -> str | None:
    """The period named first after the figure in its clause, else last before it."""
    near_after = w.CLAUSE_MARK.split(after, maxsplit=1)[0]
    for text in (near_after, before):
        found = [
            (m.start(), period) for period, pattern in w.PERIOD for m in [pattern.search(text)] if m
        ]
        if found:
            return min(found)[1] if text is near_after else max(found)[1]
    return None
