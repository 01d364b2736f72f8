"""Figures stated in a text: token volumes, prices, growth, money, counts; signed, with
currency, period, whether they are guidance, and the earlier value they compare with.

English and Chinese forms: "$58.1 billion", "US$3bn", "HK$2.1 billion", "RMB 4.5 billion",
"4.5亿元", "同比下降12%", "1.3 quadrillion tokens a month", "日均Token调用量超过30万亿".
"""

import re
from typing import NamedTuple

from radar_schemas import Quantity

from .figures import FIGURE, figures

_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "b": 1e9, "bn": 1e9, "bln": 1e9, "trillion": 1e12, "t": 1e12, "tn": 1e12,
    "quadrillion": 1e15, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8,
    "十亿": 1e9, "百亿": 1e10, "千亿": 1e11, "万亿": 1e12,
}  # fmt: skip
_PREFIX_CURRENCY = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "hk$": "HKD", "hkd": "HKD", "rmb": "CNY", "cny": "CNY", "￥": "CNY", "jpy": "JPY",
    "krw": "KRW", "₩": "KRW", "s$": "SGD", "a$": "AUD", "c$": "CAD", "nt$": "TWD", "twd": "TWD",
    "¥": "JPY",  # "¥" alone: yen, unless the text is Chinese (then yuan)
}  # fmt: skip
_SUFFIX_CURRENCY = {
    "元": "CNY", "人民币": "CNY", "元人民币": "CNY", "港元": "HKD", "港币": "HKD", "美元": "USD",
    "日元": "JPY", "韩元": "KRW", "欧元": "EUR", "yuan": "CNY", "renminbi": "CNY", "yen": "JPY",
    "won": "KRW", "euros": "EUR", "euro": "EUR", "dollars": "USD", "usd": "USD", "rmb": "CNY",
    "hkd": "HKD", "cny": "CNY", "eur": "EUR", "jpy": "JPY", "krw": "KRW",
}  # fmt: skip
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_TOKENS = re.compile(
    r"^\s*(?:(?P<adjective>monthly|daily|weekly)\s+)?(?:input\s+|output\s+)?(?:tokens?\b|token)",
    re.I,
)
_ADJECTIVE_PERIOD = {"monthly": "month", "daily": "day", "weekly": "week"}
_PER_MILLION = re.compile(
    r"^\s*(?:per|/|a|for)\s*(?:1\s*)?(?:million|m|百万|mn)\s*(?:input\s+|output\s+)?tokens?",
    re.I,
)
_COUNTED = re.compile(
    r"^\s*(?:(?:paid|paying|monthly|daily|weekly|active|new|enterprise|business)\s+){0,3}"
    r"(?P<what>seats|users|subscribers|customers|clients|members|players|developers|"
    r"用户|付费用户|订阅用户|客户|玩家)",
    re.I,
)
_COUNTED_UNIT = {
    "seats": "seats",
    "customers": "customers",
    "clients": "customers",
    "客户": "customers",
}
# Other things counted in AI-business news ("10,752 GPUs", "170 countries", "700 companies").
_THINGS = re.compile(
    r"^\s*(?:[a-z-]+\s+)?(?:gpus|chips|accelerators|servers|data centers|downloads|employees|"
    r"jobs|workers|staff|countries|companies|businesses|organizations|enterprises|partners|"
    r"vendors|models|apps|agents|queries|requests|images|videos|songs|books|titles|games|"
    r"stores|authors|artists|creators|publishers|times)\b",
    re.I,
)
# A document about quarterly (or yearly) results: a figure of money with no period of its
# own covers that period.
_QUARTERLY = re.compile(r"quarter|\bq[1-4]\b|季度|季报", re.I)
_YEARLY = re.compile(r"full[- ]year|fiscal year|annual results|年报|全年|年度业绩", re.I)
_RESULTS_KINDS = frozenset({"revenue", "profit", "eps"})
_KINDS = [  # the first that appears in the clause before (or just after) a money figure
    ("eps", r"\beps\b|per share|每股收益|每股盈利"),
    ("price_target", r"price target|target price|目标价"),
    ("arr", r"\barr\b|annual(?:ized)? recurring revenue|run[- ]rate|年化收入"),
    ("capex", r"capex|capital expenditures?|capital spending|资本开支|资本支出"),
    ("profit", r"net (?:income|profit|loss)|operating (?:income|profit|loss)|\bprofits?\b|"
     r"\blosses\b|\bloss\b|净利润|归母净利|利润|亏损|盈利"),
    ("revenue", r"revenues?|\bsales\b|bookings|营收|营业收入|收入|销售额"),
]  # fmt: skip
_KIND = [(kind, re.compile(pattern, re.I)) for kind, pattern in _KINDS]
# Words of direction in the clause before a figure: the later one wins ("fell 12%", "cut
# API prices by 50%", "同比下降12%" are decreases; "rose 5% after falling" an increase).
_DOWN = re.compile(
    r"\b(?:fell|fall|falls|falling|drop(?:ped|s)?|declin(?:ed|es|ing|e)|decreas(?:ed|es|ing|e)|"
    r"down|lower(?:ed|s)?|cut(?:s|ting)?|slash(?:ed|es|ing)?|slump(?:ed|s)?|plung(?:ed|es)|"
    r"tumbl(?:ed|es)|sank|shrank|shrunk|contract(?:ed|ion)|reduc(?:ed|es|ing|tion)|"
    r"negative|minus|slid|dipped|plummeted|trimmed|lost|loss(?:es)?)\b"
    r"|下降|下滑|减少|降低|下跌|亏损|降价|下调|缩减|回落|降幅|跌幅|亏",
    re.I,
)
_UP = re.compile(
    r"\b(?:rose|rise|rises|rising|grew|grow|grows|growing|growth|increas(?:ed|es|ing|e)|up|"
    r"gain(?:ed|s)?|jump(?:ed|s)?|surg(?:ed|es)|climb(?:ed|s)?|soar(?:ed|s)?|rais(?:ed|es|ing)|"
    r"higher|boost(?:ed|s)?|expand(?:ed|s)?|added|profit)\b"
    r"|增长|上升|提升|上涨|增加|上调|提高|扭亏|盈利|增",
    re.I,
)
_DOWN_AFTER = re.compile(
    r"^\s*(?:(?:year-(?:over|on)-year|yoy|y/y)\s+)?"
    r"(?:decline|decrease|drop|fall|reduction|cut|lower|less|cheaper|loss|slump|contraction)\b",
    re.I,
)
_LEVEL = re.compile(
    r"(?:\bto|\bat|\bof|\bfrom|至|为|达到?)\s*$", re.I
)  # "fell to $3bn": the new level
_LEVEL_KINDS = frozenset(
    {"price_target", "eps", "users", "seats", "customers", "token_volume", "share"}
)
_LOSS = re.compile(r"\bloss(?:es)?\b|亏损|净亏", re.I)
_GUIDANCE = re.compile(
    r"\b(?:expects?|expected|expecting|forecasts?|forecasted|guidance|guides?|guided|outlook|"
    r"projects?|projected|anticipates?|sees|plans? to|aims? to|will reach)\b"
    r"|预计|预期|指引|展望|有望",
    re.I,
)
_PRIOR = re.compile(  # matched at a position: no "^"
    r"[^.;。；]{0,30}?\b(?:from|compared (?:with|to)|versus|vs\.?|against|up from|down from)\s+"
    r"(?:a\s+|an\s+)?(?:year-earlier\s+|prior\s+|previous\s+)?",
    re.I,
)
_PERIODS = [  # (period, pattern): the comparison basis of a change, else what it covers
    ("year", r"annual(?:ly|ized)?|full[- ]year|fiscal(?: year)?|"
     r"\ba year\b(?! (?:earlier|ago|before))|per year|each year|this year|last year|"
     r"next year|全年|年度|年化|每年|\d{4}年"),
    ("quarter", r"quarter|quarterly|\bq[1-4]\b|\b[1-4]q\b|sequential|季度|环比|单季"),
    ("half", r"half[- ]year|\bh[12]\b|first half|second half|上半年|下半年|半年"),
    ("month", r"per month|a month|each month|monthly|every month|month|每月|月均|月活|单月"),
    ("week", r"per week|a week|each week|weekly|every week|每周|周活"),
    ("day", r"per day|a day|each day|daily|every day|日均|每日|每天|日活"),
    ("minute", r"per minute|a minute|each minute|每分钟"),
]  # fmt: skip
_PERIOD = [(period, re.compile(pattern, re.I)) for period, pattern in _PERIODS]
_COMPARED = [  # what a change in % compares with
    (
        "year",
        re.compile(r"year-(?:over|on)-year|\byoy\b|\by/y\b|from a year (?:ago|earlier)|同比", re.I),
    ),
    ("quarter", re.compile(r"quarter-(?:over|on)-quarter|\bqoq\b|\bq/q\b|sequential|环比", re.I)),
    ("month", re.compile(r"month-(?:over|on)-month|\bmom\b|\bm/m\b", re.I)),
]
_SPANS = frozenset({"year", "quarter", "half"})  # what a change can cover; not a rate per day
_CLAUSE_END = re.compile(r"[.;!?。；！？]\s|[;。；！？]|\band\b|\bwhile\b|\bbut\b|,\s(?=\D)", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")
# Compiled once here rather than looked up in re's cache at each figure.
_SHARE = re.compile(r"\b(?:margin|share|stake|percent of|占比)\b", re.I)
_TOKENS_BEFORE = re.compile(
    r"(?:tokens?|token调用量|token消耗量)\s*(?:调用量|消耗量)?[^\d]{0,8}$", re.I
)
_CLAUSE_MARK = re.compile(r"[.;。；,，]")


class Figure(NamedTuple):
    kind: str
    value: float
    unit: str
    period: str | None
    guidance: bool
    prior: float | None


def quantities(text: str, in_title: bool = False) -> list[Quantity]:
    """Every recognised figure in the text, with its kind, sign, unit, period and span."""
    out = []
    chinese = bool(_CJK.search(text))
    covers = "quarter" if _QUARTERLY.search(text) else "year" if _YEARLY.search(text) else None
    for match in figures(text):
        figure = _read(text, match, chinese)
        if figure is None:
            continue
        if figure.period is None and figure.kind in _RESULTS_KINDS and covers:
            figure = figure._replace(period=covers)
        start = match.start() + (1 if match["sign"] and not match["cur"] else 0)
        out.append(
            Quantity(
                kind=figure.kind,
                value=figure.value,
                unit=figure.unit,
                period=figure.period,
                start=start,
                end=match.start() + len(match.group(0).rstrip()),
                in_title=in_title,
                guidance=figure.guidance,
                prior=figure.prior,
            )
        )
    return out


def _number(match: re.Match[str]) -> float:
    number = float(match["num"].replace(",", "")) if match["num"] else _WORDS[match["word"].lower()]
    return number * _SCALES.get((match["scale"] or "").lower(), 1)


def _currency(match: re.Match[str], chinese: bool) -> str | None:
    if match["cur"]:
        symbol = match["cur"].strip().lower()
        return "CNY" if symbol == "¥" and chinese else _PREFIX_CURRENCY.get(symbol)
    if match["after"]:
        return _SUFFIX_CURRENCY.get(match["after"].strip().lower())
    return None


def _read(text: str, match: re.Match[str], chinese: bool) -> Figure | None:
    """The figure one match states, or None when it is none of ours (a year, a count of
    nothing in particular, a model's version number)."""
    if not match["num"] and not match["word"]:
        return None
    value = _number(match)
    after = text[match.end() : match.end() + 60]
    before = _clause_before(text, match.start())
    currency = _currency(match, chinese)
    found = _kind(value, match, after, before, currency)
    if found is None:
        return None
    kind, unit, period = found
    period = period or (_growth_period if kind == "growth" else _period)(before, after)
    return Figure(
        kind=kind,
        value=-abs(value) if _is_down(kind, match, before, after) else value,
        unit=unit,
        period=period,
        guidance=bool(_GUIDANCE.search(before)),
        prior=_prior(text, match, chinese),
    )


def _is_down(kind: str, match: re.Match[str], before: str, after: str) -> bool:
    """A decrease: a minus sign, a loss, or a word of decline closer than any of rise."""
    if match["sign"]:
        return True
    if kind == "profit":
        return bool(_LOSS.search(before[-40:] + " " + after[:15]))
    if kind in _LEVEL_KINDS or (kind != "growth" and _LEVEL.search(before)):
        return False
    if _DOWN_AFTER.match(after):
        return True
    downs = [m.end() for m in _DOWN.finditer(before)]
    ups = [m.end() for m in _UP.finditer(before)]
    return bool(downs) and (not ups or max(downs) > max(ups))


def _kind(
    value: float, match: re.Match[str], after: str, before: str, currency: str | None
) -> tuple[str, str, str | None] | None:
    if match["pct"]:
        share = _SHARE.search(before[-30:] + after[:20])
        return ("share" if share else "growth"), "percent", None
    if currency and _PER_MILLION.match(after):
        return "price_per_million_tokens", currency, None
    tokens = _TOKENS.match(after)
    if tokens:
        adjective = (tokens["adjective"] or "").lower()
        return "token_volume", "tokens", _ADJECTIVE_PERIOD.get(adjective)
    if not currency and value >= 1e6 and _TOKENS_BEFORE.search(before[-20:]):
        return "token_volume", "tokens", None
    counted = _COUNTED.match(after)
    if counted and not currency:
        what = counted["what"].lower()
        return _COUNTED_UNIT.get(what, "users"), _COUNTED_UNIT.get(what, "users"), None
    if not currency and _THINGS.match(after):
        return "count", "count", None
    if currency:
        return _money_kind(before, after), currency, None
    return None


def _money_kind(before: str, after: str) -> str:
    """The kind named closest before the figure, else just after it, else an amount."""
    latest = [(m.end(), kind) for kind, pattern in _KIND for m in pattern.finditer(before[-60:])]
    if latest:
        return max(latest)[1]
    near = _CLAUSE_MARK.split(after, maxsplit=1)[0][:25]
    earliest = [(m.start(), kind) for kind, pattern in _KIND for m in [pattern.search(near)] if m]
    return min(earliest)[1] if earliest else "amount"


def _clause_before(text: str, start: int) -> str:
    """The text of the clause before a figure (up to 80 characters)."""
    window = text[max(0, start - 80) : start]
    ends = list(_CLAUSE_END.finditer(window))
    return window[ends[-1].end() :] if ends else window


def _growth_period(before: str, after: str) -> str | None:
    near_after = _CLAUSE_MARK.split(after, maxsplit=1)[0]
    for text in (near_after, before):
        for period, pattern in _COMPARED:
            if pattern.search(text):
                return period
    spanned = _period(before, after)
    return spanned if spanned in _SPANS else None


def _period(before: str, after: str) -> str | None:
    near_after = _CLAUSE_MARK.split(after, maxsplit=1)[0]
    for text in (near_after, before):
        found = [
            (m.start(), period) for period, pattern in _PERIOD for m in [pattern.search(text)] if m
        ]
        if found:
            return min(found)[1] if text is near_after else max(found)[1]
    return None


def _prior(text: str, match: re.Match[str], chinese: bool) -> float | None:
    """ "to $5.2 billion from $4.1 billion": the value it is compared with."""
    lead = _PRIOR.match(text, match.end())
    if lead is None:
        return None
    earlier = FIGURE.match(text, lead.end())
    if earlier is None or not (earlier["num"] or earlier["word"]):
        return None
    value = _number(earlier)
    if not earlier["scale"] and match["scale"] and not earlier["pct"]:
        value *= _SCALES.get(match["scale"].lower(), 1)  # "$5.2 billion from $4.1"
    return value
