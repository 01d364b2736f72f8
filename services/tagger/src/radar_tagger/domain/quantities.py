"""Figures stated in a text: token volumes, prices per million tokens, growth, money, seats."""

import re

from radar_schemas import Quantity

_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
    "b": 1e9, "bn": 1e9, "trillion": 1e12, "t": 1e12, "tn": 1e12, "quadrillion": 1e15,
}  # fmt: skip
_CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_FIGURE = re.compile(
    r"(?P<cur>[$€£¥])?(?:(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)|\b(?P<word>one|two|three|four|"
    r"five|six|seven|eight|nine|ten)(?=\s(?:thousand|million|billion|trillion|quadrillion)\b))"
    r"\+?\s?"
    r"(?:(?P<scale>thousand|million|billion|trillion|quadrillion|bn|mn|tn|[kmbt])\b)?\+?\s?"
    r"(?P<pct>%|percent\b|per cent\b)?",
    re.I,
)
_TOKENS = re.compile(
    r"^\s*(?:(?P<adjective>monthly|daily|weekly)\s+)?(?:input\s+|output\s+)?tokens?\b", re.I
)
_ADJECTIVE_PERIOD = {"monthly": "month", "daily": "day", "weekly": "week"}
_PER_MILLION = re.compile(
    r"^\s*(?:per|/)\s*(?:1\s*)?(?:million|m)\s+(?:input\s+|output\s+)?tokens", re.I
)
_PERIOD = re.compile(
    r"^[^.;]{0,40}?\b(?:(?P<day>per day|a day|each day|daily|every day)|"
    r"(?P<month>per month|a month|each month|monthly|every month)|"
    r"(?P<week>per week|a week|each week|weekly)|(?P<minute>per minute|a minute|each minute)|"
    r"(?P<year>year-over-year|year-on-year|a year|annual|annually|per year))\b",
    re.I,
)
_COUNTED = re.compile(
    r"^\s*(?:(?:paid|paying|monthly|daily|weekly|active|new)\s+){0,3}"
    r"(?P<what>seats|users|subscribers|customers|members|players)\b",
    re.I,
)
_MONEY_KIND = re.compile(
    r"\b(?:(?P<arr>arr|annual recurring revenue|run[- ]rate)|"
    r"(?P<revenue>revenue|revenues|sales|bookings|income|profit|earnings))\b",
    re.I,
)


def quantities(text: str, in_title: bool = False) -> list[Quantity]:
    """Every recognised figure in the text, with its kind, unit, period and span."""
    out = []
    for match in _FIGURE.finditer(text):
        found = _classify(text, match)
        if found is not None:
            kind, value, unit, period = found
            out.append(
                Quantity(
                    kind=kind,
                    value=value,
                    unit=unit,
                    period=period,
                    start=match.start(),
                    end=match.start() + len(match.group(0).rstrip()),
                    in_title=in_title,
                )
            )
    return out


def _classify(text: str, match: re.Match[str]) -> tuple[str, float, str, str | None] | None:
    """(kind, value, unit, period) of one figure, or None when it is none of ours."""
    number = float(match["num"].replace(",", "")) if match["num"] else _WORDS[match["word"].lower()]
    value = number * _SCALES.get((match["scale"] or "").lower(), 1)
    after = text[match.end() : match.end() + 60]
    period = _period(after)
    if match["pct"]:
        return "growth", value, "percent", period
    if match["cur"] and _PER_MILLION.match(after):
        return "price_per_million_tokens", value, _CURRENCIES[match["cur"]], None
    tokens = _TOKENS.match(after)
    if tokens:
        adjective = (tokens["adjective"] or "").lower()
        return "token_volume", value, "tokens", _ADJECTIVE_PERIOD.get(adjective, period)
    counted = _COUNTED.match(after)
    if counted and not match["cur"]:
        what = counted["what"].lower()
        return ("seats" if what == "seats" else "users"), value, what, period
    if match["cur"]:
        around = text[max(0, match.start() - 40) : match.end() + 40]
        kind_match = _MONEY_KIND.search(around)
        kind = "arr" if kind_match and kind_match["arr"] else "revenue" if kind_match else "amount"
        return kind, value, _CURRENCIES[match["cur"]], period
    return None


def _period(after: str) -> str | None:
    found = _PERIOD.match(after)
    return found.lastgroup if found else None
