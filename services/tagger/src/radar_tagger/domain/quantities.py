"""Figures stated in a text: token volumes, prices, growth, money, counts; signed, with
currency, period, whether they are guidance, and the earlier value they compare with.

English and Chinese forms: "$58.1 billion", "US$3bn", "HK$2.1 billion", "RMB 4.5 billion",
"4.5亿元", "312 億元", "同比下降12%", "按年跌26.8%", "1.3 quadrillion tokens a month",
"日均Token调用量超过30万亿", "grew 8x". The words each part is read from are in
figure_words.
"""

import bisect
import re
from typing import NamedTuple

from radar_schemas import Quantity

from . import figure_words as w
from .figure_about import about
from .figure_periods import (
    clause_before,
    document_covers,
    growth_period,
    of_results,
    period_of,
    span_in_sentence,
)
from .figures import FIGURE, figures
from .text import matched_key

_RANGE_DASH = re.compile(r"\d\s?[万萬亿億]?\s?$")  # "1000-2500元": a range, not a minus
_DATE_AFTER = re.compile(r"\s*[年月日号]")
_HK_BEFORE = re.compile(r"(?:港元|港币|港幣)\s*$")  # "港元195元"


class Figure(NamedTuple):
    kind: str
    value: float
    unit: str
    period: str | None
    guidance: bool
    prior: float | None
    about: str | None
    estimate: bool = False


def quantities(text: str, in_title: bool = False, headline: str = "") -> list[Quantity]:
    """Every recognised figure in the text, with its kind, sign, unit, period and span. The
    headline over a body counts in what the document covers ("Adobe Reports Record Revenue
    in Q1 Fiscal 2023" over a body of segment revenues)."""
    out = []
    chinese = bool(w.CJK.search(text))
    covers: list[str | None] = []  # what the document covers, read at its first result
    for match in figures(text):
        figure = _read(text, match, chinese)
        if figure is None:
            continue
        if figure.period is None and of_results(text, match.start(), figure.kind):
            span = span_in_sentence(text, match.start(), figure.kind)
            if span is None and not covers:
                covers.append(document_covers(f"{headline}\n{text}" if headline else text))
            figure = figure._replace(period=(covers[0] if span is None else span) or None)
        start = match.start() + (1 if match["sign"] and not match["cur"] else 0)
        end = match.start() + len(match.group(0).rstrip())
        out.append(
            Quantity(
                kind=figure.kind,
                value=figure.value,
                unit=figure.unit,
                period=figure.period,
                start=start,
                end=end,
                in_title=in_title,
                guidance=figure.guidance or figure.estimate,
                estimate=figure.estimate,
                prior=figure.prior,
                about=figure.about,
            )
        )
    if any(hint in text for hint in w.MULTIPLE_HINTS):
        out = _merged(out, _multiples(text, in_title))
    if any(hint in text for hint in w.SPELLED_HINTS):
        out = _merged(out, _spelled(text, in_title))
    return out


def _spelled(text: str, in_title: bool) -> list[Quantity]:
    """Chinese tenths, fractions and halves (三成, 三分之一, 一半): a part of a whole, or a
    change where a verb of rise or fall stands just before it (下降三成: −30%)."""
    out = []
    for match in w.SPELLED.finditer(text):
        before, after = _around(text, match.start(), match.end())
        if match["tenths"]:
            value = 10.0 * w.CN_DIGIT[match["tenths"]]
        elif match["den"]:
            value = round(100.0 * w.CN_DIGIT[match["num"]] / w.CN_DIGIT[match["den"]], 1)
        else:
            value = 50.0
        near = before[-6:]
        if w.DOWN.search(near):
            kind, value = "growth", -value
        elif w.UP.search(near):
            kind = "growth"
        else:
            kind = "share"
        wide = _wide(text, match.start())
        period = growth_period(before, after, wide, size=value) if kind == "growth" else None
        out.append(_in_words(match, kind, value, period, in_title, _guidance(before)))
    return out


def _in_words(
    match: re.Match[str],
    kind: str,
    value: float,
    period: str | None,
    in_title: bool,
    guidance: bool,
) -> Quantity:
    """A percentage told in words (a multiple, a tenth, a fraction) over its match."""
    return Quantity(
        kind=kind,
        value=value,
        unit="percent",
        period=period,
        start=match.start(),
        end=match.end(),
        in_title=in_title,
        guidance=guidance,
    )


def _merged(figures: list[Quantity], worded: list[Quantity]) -> list[Quantity]:
    """The figures with those told in words (multiples, tenths, fractions) that overlap none
    of them, in text order."""
    starts = [q.start for q in figures]  # figures come in text order and do not overlap
    kept = []
    for extra in worded:
        at = bisect.bisect_left(starts, extra.end)  # figures starting before its end
        if at == 0 or figures[at - 1].end <= extra.start:
            kept.append(extra)
    return sorted(figures + kept, key=lambda q: q.start)


def _multiples(text: str, in_title: bool) -> list[Quantity]:
    """Changes told as a multiple in words: "revenue doubled" (+100%), "tripling" (+200%),
    "halved" (−50%), "翻了一番" (+100%), "增长近八倍" (+700%)."""
    out = []
    for match in w.MULTIPLE_WORDS.finditer(text):
        times = _times(match)
        before, after = _around(text, match.start(), match.end())
        if times is None or w.MULTIPLE_NOT_CHANGE.search(f"{before}{match[0]}{after[:20]}"):
            continue  # "两三倍" (no number), 市盈率约为三十倍
        if match["half"] and w.NOT_HALVING.search(f"{before}{after[:30]}"):
            continue  # "the halving of bitcoin"
        if match["one"] and not w.GROWN.search(before):
            continue  # 快一倍 (a comparison), 成本降低一倍
        period = growth_period(before, after, _wide(text, match.start()), multiple=True)
        guidance = _guidance(before) or bool(w.MODAL_FORECAST.match(match[0]))
        out.append(_in_words(match, "growth", (times - 1) * 100, period, in_title, guidance))
    return out


def _times(match: re.Match[str]) -> float | None:
    """The multiple a match of MULTIPLE_WORDS tells: 0.5 for a half, 2 for 增长一倍 (grown by
    once itself), None for no number ("两三倍")."""
    named = {"double": 2.0, "triple": 3.0, "quadruple": 4.0, "half": 0.5, "fan": 2.0, "one": 2.0}
    for group, times in named.items():
        if match[group]:
            return times
    if match["fan_two"]:
        return 4.0
    digits = match["cn"] or ""
    if len(digits) == 1:
        return float(w.CN_DIGIT[digits])
    tens, units = digits[0], digits[1]  # "十五", "二十"; other pairs ("两三") are no number
    if tens == "十" and units != "十":
        return 10.0 + w.CN_DIGIT[units]
    if units == "十" and tens != "十":
        return 10.0 * w.CN_DIGIT[tens]
    return None


def _number(match: re.Match[str]) -> float:
    number = (
        float(match["num"].replace(",", ""))
        if match["num"]
        else matched_key(w.WORDS, match["word"]) or 0.0
    )
    value = number * w.SCALES.get((match["scale"] or "").lower(), 1)
    if (match["after"] or "").strip().lower() in w.HUNDREDTHS:
        value /= 100
    if match["rest"]:  # "6090億1500万"
        value += float(match["rest"]) * w.SCALES[match["rest_scale"]]
    return value


def _currency(match: re.Match[str], chinese: bool) -> str | None:
    if match["cur"]:
        symbol = match["cur"].strip().lower()
        return "CNY" if symbol == "¥" and chinese else w.PREFIX_CURRENCY.get(symbol)
    if match["after"]:
        if _HK_BEFORE.search(match.string[max(0, match.start() - 4) : match.start()]):
            return "HKD"
        return w.SUFFIX_CURRENCY.get(match["after"].strip().lower())
    return None


def _yuan(match: re.Match[str], before: str) -> bool:
    """A Chinese amount of money with no currency named: yuan ("净亏损112亿")."""
    scale = match["scale"] or ""
    return scale in w.CJK_SCALES and bool(w.MONEY_BEFORE.search(before[-25:]))


def _glued_to_letters(text: str, start: int) -> bool:
    """Whether the number at `start` follows a Latin letter with no space between."""
    return start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()


def _read(text: str, match: re.Match[str], chinese: bool) -> Figure | None:
    """The figure one match states, or None when it is none of ours (a year, a count of
    nothing in particular, a model's version number)."""
    if not match["num"] and not match["word"]:
        return None
    if not match["sign"] and not match["cur"] and _glued_to_letters(text, match.start()):
        return None  # a product or model name ("H20", "A100", "MI308"), a quarter ("Q1")
    value = _number(match)
    if match["times"] and w.COMPARISON.match(text, match.end()):
        return None  # "35X better inferencing": how two things compare, no figure of ours
    if match["times"]:  # "grew 8x", "10倍": (N − 1) × 100 percent
        value = (value - 1) * 100
    before, after = _around(text, match.start(), match.end())
    currency = _currency(match, chinese)
    if currency is None and chinese and _yuan(match, before):
        currency = "CNY"
    found = _kind(value, match, after, before, currency)
    if found is None:
        return None
    kind, unit, period = found
    if period is None:
        wide = _wide(text, match.start())
        period = (
            growth_period(before, after, wide, size=value)
            if kind == "growth"
            else period_of(before, after)
        )
    if period is None and kind == "arr":
        period = "year"  # an annual recurring revenue or run rate is a year's
    elif period is None and kind == "amount" and w.TRADED.search(before):
        period = "day"
    signed = -abs(value) if _is_down(kind, match, before, after) else value
    prior = _prior(text, match, chinese)
    if prior is not None and kind == "profit" and signed < 0:
        prior = -abs(prior)  # "净亏损从31亿美元扩大至135亿美元": a loss before as well
    estimate = _estimate(before, after)
    measures = about(text, match.start(), match.end(), kind, before)
    if estimate and measures and w.WHO_ESTIMATES.search(measures):
        measures = None  # "the $33.1 billion analysts expected": who expects, not what
    return Figure(
        kind=kind,
        value=signed,
        unit=unit,
        period=period,
        guidance=_guidance(before),
        prior=prior,
        about=measures,
        estimate=estimate,
    )


def _is_down(kind: str, match: re.Match[str], before: str, after: str) -> bool:
    """A decrease: a minus sign, a loss, a word of decline just after the figure, or one
    in its clause before it later than any of rise."""
    if match["sign"]:
        return not _RANGE_DASH.search(match.string[max(0, match.start() - 4) : match.start()])
    if match.string[max(0, match.start() - 1) : match.start()] == "+":
        return False  # "（同比+30%）" after a fall named earlier in the clause
    if kind == "profit":
        own_after = w.CLAUSE_MARK.split(after, maxsplit=1)[0][:15]
        return bool(w.LOSS.search(before[-40:] + " " + own_after) or w.LOST_BEFORE.search(before))
    if kind in w.LEVEL_KINDS or (kind != "growth" and w.LEVEL.search(before)):
        return False
    if w.DOWN_AFTER.match(after):
        return True
    if w.UP_AFTER.match(after):
        return False
    downs = [m.end() for m in w.DOWN.finditer(before)]
    ups = [m.end() for m in w.UP.finditer(before)]
    return bool(downs) and (not ups or max(downs) > max(ups))


def _kind(
    value: float, match: re.Match[str], after: str, before: str, currency: str | None
) -> tuple[str, str, str | None] | None:
    if match["pct"]:
        near = w.CLAUSE_MARK.split(after, maxsplit=1)[0]
        near = near[:20] + near[20:].split(" ", 1)[0]  # whole words: "shares", not "share"
        share = bool(w.SHARE.search(before[-30:] + near))
        if not share and w.OF_WHOLE.match(after):  # "40% of customers": a part of a whole,
            near = before[-25:]  # unless a change is told ("cut 30% of its staff")
            share = not (w.UP.search(near) or w.DOWN.search(near))
        return ("share" if share else "growth"), "percent", None
    if match["times"] and not currency:
        return "growth", "percent", None
    if currency:
        return _money(match, after, before, currency)
    return _counted(value, after, before, scaled=bool(match["scale"]))


def _money(
    match: re.Match[str], after: str, before: str, currency: str
) -> tuple[str, str, str | None]:
    paired = w.PRICE_PAIR.match(after)
    if w.PER_MILLION.match(after[paired.end() :] if paired else after):
        return "price_per_million_tokens", currency, None
    return _money_kind(before, after), currency, None


def _counted(
    value: float, after: str, before: str, scaled: bool = False
) -> tuple[str, str, str | None] | None:
    """Tokens, users, seats, customers or other things counted; None for a bare number."""
    tokens = w.TOKENS.match(after)
    if tokens:
        adjective = (tokens["adjective"] or "").lower()
        return "token_volume", "tokens", w.ADJECTIVE_PERIOD.get(adjective)
    if value >= 1e6 and w.TOKENS_BEFORE.search(before[-20:]):
        return "token_volume", "tokens", None
    counted = w.COUNTED.match(after)
    if counted:
        unit = w.COUNTED_UNIT.get(counted["what"].lower(), "users")
        return unit, unit, None
    users = w.USERS_BEFORE.search(before[-60:]) if value >= 1e4 else None
    if users:  # "月活躍用戶(MAU)已從...的3600萬": monthly users
        return "users", "users", (users.lastgroup or "").rstrip("_") or None
    if w.MULTIPLE.match(after):
        return None  # "1.5 times more memory than": a comparison, not a count of anything
    if w.NO_COUNT_BEFORE.search(before[-2:]):
        return None
    if w.THINGS.match(after) or w.PIECES.match(after):
        return "count", "count", None
    if scaled and w.SCALED_PIECES.match(after) and not w.MONEY_WORDS.search(before[-8:]):
        return "count", "count", None
    return None


def _money_kind(before: str, after: str) -> str:
    """The kind the figure is "in" or "of" ("$2.9 billion in net income on $23.3 billion in
    revenue"), else the kind named closest before it, else just after it, else an amount;
    money lost right before it is a loss ("expects to lose $5 billion")."""
    lead = w.IN_OF.match(after)
    if lead:
        rest = after[lead.end() : lead.end() + 25]
        if w.MARKET_VALUE.match(rest):
            return "amount"  # "lost $500 billion in market value": no loss of the business
        named = [(m.end(), kind) for kind, pattern in w.KIND for m in [pattern.match(rest)] if m]
        if named:
            return max(named)[1]  # the longest name: "net income" over "income"
    if w.LOST_BEFORE.search(before):
        return "profit"
    latest = [(m.end(), kind) for kind, pattern in w.KIND for m in pattern.finditer(before[-60:])]
    if latest:
        return max(latest)[1]
    near = w.CLAUSE_MARK.split(after, maxsplit=1)[0][:25]
    earliest = [(m.start(), kind) for kind, pattern in w.KIND for m in [pattern.search(near)] if m]
    return min(earliest)[1] if earliest else "amount"


def _estimate(before: str, after: str) -> bool:
    """Analysts' estimate or consensus as the figure's value: named in its clause just before
    it, or just after it where a result is set against it ("vs $33.1 billion expected")."""
    if w.ESTIMATE_BEFORE.search(before[-60:]):
        return True
    return bool(w.ESTIMATE_AFTER.match(after)) and (
        not after.lstrip().lower().startswith(("expected", "estimated"))
        or bool(w.SET_AGAINST.search(before[-40:]))
    )


def _guidance(before: str) -> bool:
    """A word of forecast or estimate before the figure, other than an estimate the reported
    figure beat or missed (which marks a result): see figure_words.BEATEN."""
    for found in w.GUIDANCE.finditer(before):
        beaten = w.BEATEN.search(before[: found.start()])
        if beaten is None or w.VALUE_OF.match(before[found.end() :]):
            return True
    return False


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    """The clause before a figure and the 60 characters after it: what its kind, sign and
    period are read from."""
    return clause_before(text, start), text[end : end + 60]


def _wide(text: str, start: int) -> str:
    """The 80 characters before a figure, across clauses (a share price named earlier)."""
    return text[max(0, start - 80) : start]


def _prior(text: str, match: re.Match[str], chinese: bool) -> float | None:
    """ "to $5.2 billion from $4.1 billion", "from $4.1 billion to $5.2 billion",
    "从10亿元增至15亿元": the value it is compared with."""
    lead = w.PRIOR.match(text, match.end())
    if lead is None and chinese:
        lead = w.PRIOR_CN.match(text, match.end())
        if lead is not None and w.ESTIMATE_CN.search(lead.group()):
            lead = None  # "高于分析师预期的…": an estimate, not an earlier value
    earlier = FIGURE.match(text, lead.end()) if lead is not None else _earlier_from(text, match)
    if earlier is None or not (earlier["num"] or earlier["word"]):
        return None
    if bool(earlier["pct"]) != bool(match["pct"]):
        return None  # "up 24% compared to $18.7 billion": an amount is no prior of a rate
    if _DATE_AFTER.match(text, earlier.end()):
        return None  # "相比去年 12 月": a month, not a value
    theirs, ours = _currency(earlier, chinese), _currency(match, chinese)
    if theirs and ours and theirs != ours:
        return None  # "约合562亿美元，较去年同期的4.7万亿韩元": the won figure's prior
    value = _number(earlier)
    if not earlier["scale"] and match["scale"] and not earlier["pct"]:
        value *= w.SCALES.get(match["scale"].lower(), 1)  # "$5.2 billion from $4.1"
    figure = _number(match)
    if value and figure and not 0.01 <= abs(figure / value) <= 100:
        return None  # "每股收益为24.46美元，而去年同期为18.9亿美元和每股1.68美元": another measure
    return value


def _earlier_from(text: str, match: re.Match[str]) -> re.Match[str] | None:
    """The figure "from" which this one was reached, told before it ("from $10/$40 to $2/$8
    per million tokens": $10 for $2)."""
    start = match.start()
    window = max(0, start - 50)
    opened = list(w.FROM.finditer(text, window, start))
    if not opened:
        return None
    earlier = FIGURE.match(text, opened[-1].end())
    if earlier is None or not w.FROM_TO.match(text[earlier.end() : start]):
        return None
    return earlier
