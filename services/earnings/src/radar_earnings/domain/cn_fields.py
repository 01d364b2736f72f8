"""The cells of an A-share / Hong Kong earnings row: column names (English or Chinese),
amounts with their units, tickers, periods, dates and currencies. Pure.

Chinese data exports (Wind, Choice, iFinD, exchange downloads) name the same figure in
several ways and put the unit in the header (``营业收入(亿元)``) or in the cell
(``39.75亿``); Shanghai tickers appear as ``603444.SH``, ``SH603444`` or bare ``603444``
and Hong Kong ones as ``00700.HK``. Each is brought to one form here, so the row parser
and the company reference see ``603444.SS`` and ``0700.HK`` whatever the file wrote.
"""

import math
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from radar_reference import ListingsError
from radar_reference.listings import suffixed

# Column name (case-folded, spaces, underscores and the unit in brackets removed) -> field.
_ALIASES: dict[str, tuple[str, ...]] = {
    "report_date": ("reportdate", "公告日期", "披露日期", "报告日期", "发布日期"),
    "period": ("period", "fiscalperiod", "报告期", "财报期间"),
    "ticker": ("ticker", "证券代码", "股票代码", "代码"),
    "name": ("name", "证券简称", "股票简称", "简称", "公司名称", "名称"),
    "revenue": ("revenue", "营业收入", "营业总收入", "营收"),
    "net_profit": (
        "netprofit",
        "netprofitattributable",
        "归母净利润",
        "归属于母公司股东的净利润",
        "归属于母公司所有者的净利润",
        "归属于上市公司股东的净利润",
        "归属母公司股东的净利润",
    ),
    "eps": ("eps", "每股收益", "基本每股收益"),
    "revenue_consensus": (
        "revenueconsensus",
        "营业收入一致预期",
        "一致预期营业收入",
        "营收一致预期",
    ),
    "net_profit_consensus": (
        "netprofitconsensus",
        "归母净利润一致预期",
        "一致预期归母净利润",
        "净利润一致预期",
    ),
    "eps_consensus": ("epsconsensus", "每股收益一致预期", "一致预期每股收益", "eps一致预期"),
    "currency": ("currency", "币种", "货币", "货币单位"),
}
FIELDS = {alias: field for field, aliases in _ALIASES.items() for alias in aliases}
AMOUNT_FIELDS = ("revenue", "net_profit", "revenue_consensus", "net_profit_consensus")
PER_SHARE_FIELDS = ("eps", "eps_consensus")

# Longer column names are no field of the layout (and bound the unit search's cost).
MAX_HEADER_CHARS = 100
_UNIT_IN_HEADER = re.compile(r"[(（]([^)）]*)[)）]")
# Largest first: 百万 before 万.
_MULTIPLIERS = (("亿", 10**8), ("百万", 10**6), ("万", 10**4), ("千", 10**3))
_NULLS = {"", "-", "--", "—", "——", "n/a", "na", "null", "none"}
_CURRENCIES = {
    "CNY": "CNY", "RMB": "CNY", "人民币": "CNY", "元": "CNY", "人民币元": "CNY",
    "HKD": "HKD", "港元": "HKD", "港币": "HKD",
    "USD": "USD", "美元": "USD",
}  # fmt: skip
_CNY_EXCHANGES = (".SS", ".SZ", ".BJ")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def decode_csv(raw: bytes) -> str:
    """UTF-8 (a byte-order mark is dropped later), else GB18030: Chinese spreadsheets save
    CSV in GBK, which GB18030 reads; else UTF-8 with U+FFFD for what is not."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")


class CellError(ValueError):
    """A cell that cannot be read, with what was wrong."""


def header(name: str) -> tuple[str | None, int]:
    """The field a column header names (None when unknown) and the multiplier its unit sets
    for amounts (``营业收入(亿元)`` -> revenue, 1e8)."""
    if len(name) > MAX_HEADER_CHARS:
        return None, 1
    unit_match = _UNIT_IN_HEADER.search(name)
    bare = _UNIT_IN_HEADER.sub("", name)
    key = re.sub(r"[\s_\-]", "", bare).casefold()
    return FIELDS.get(key), _multiplier(unit_match.group(1) if unit_match else "")


def _multiplier(unit: str) -> int:
    for word, factor in _MULTIPLIERS:
        if word in unit:
            return factor
    return 1


def number(value: Any, multiplier: int = 1) -> float | None:
    """A figure: JSON number, or text with thousands separators and an optional 亿/万
    suffix (which replaces the header's unit). None for an empty or dash cell. Scaled in
    decimal, so ``287.9亿`` is exactly 28790000000, not 28789999999.999996."""
    if value is None or isinstance(value, bool):
        return None
    figure: float | None
    try:
        if isinstance(value, int | float):
            figure = float(Decimal(str(value)) * multiplier)
        else:
            figure = _text_number(str(value), Decimal(multiplier))
    except ArithmeticError:  # decimal's InvalidOperation (not a number), Overflow
        raise CellError(f"not a number: {_shown(value)}") from None
    if figure is not None and not math.isfinite(figure):
        raise CellError(f"not a finite number: {_shown(value)}")
    return figure


def _text_number(value: str, multiplier: Decimal) -> float | None:
    text = value.strip().replace(",", "").replace("，", "").removesuffix("元")
    if text.casefold() in _NULLS:
        return None
    for word, factor in _MULTIPLIERS:
        if text.endswith(word):
            text, multiplier = text.removesuffix(word), Decimal(factor)
            break
    return float(Decimal(text) * multiplier)


def _shown(value: Any) -> str:
    """A cell as a rejection line shows it: a hostile cell may be megabytes long."""
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def ticker(value: Any) -> str:
    """``300413.SZ``; ``603444.SH``, ``SH603444`` and bare ``603444`` as ``603444.SS``;
    ``700.HK`` and ``00700.HK`` as ``0700.HK``; a US ticker as written, upper-cased."""
    text = str(value or "").strip().upper()
    if not text or not text.isprintable():
        raise CellError(f"no usable ticker: {_shown(value)}")
    prefixed = re.fullmatch(r"(SH|SZ|BJ)(\d{6})", text)
    if prefixed:
        text = f"{prefixed.group(2)}.{prefixed.group(1)}"
    if re.fullmatch(r"\d{6}", text):
        try:
            return suffixed(text)
        except ListingsError:
            raise CellError(
                f"bare code {text} names no exchange: write it as {text}.SZ, .SH or .BJ"
            ) from None
    code, _, exchange = text.partition(".")
    if exchange == "SH":
        exchange = "SS"
    if exchange == "HK" and code.isdigit():
        code = code.lstrip("0").rjust(4, "0")
    return f"{code}.{exchange}" if exchange else code


def currency(value: Any, listed_as: str) -> str:
    """ISO code of the amounts; A-shares default to CNY, others must say (a Hong Kong
    company may report in CNY, HKD or USD)."""
    text = str(value or "").strip()
    if not text:
        if listed_as.endswith(_CNY_EXCHANGES):
            return "CNY"
        raise CellError(f"{listed_as}: no currency (CNY, HKD or USD)")
    code = _CURRENCIES.get(text.upper()) or _CURRENCIES.get(text)
    if code is None:
        raise CellError(f"unknown currency: {_shown(text)}")
    return code


def quarter(value: Any) -> tuple[int, int]:
    """(year, quarter) of ``2025Q3``, ``2025-Q3``, ``2025年第三季度`` or ``2025年3季度``.
    Only single quarters: an A-share ``报告期`` date such as 2025-09-30 is also the
    year-to-date (三季报) period, so a date is refused rather than guessed."""
    text = re.sub(r"\s", "", str(value or "")).upper()
    found = re.fullmatch(r"(\d{4})[-_]?Q([1-4])", text) or re.fullmatch(
        r"(\d{4})年第?([1-4一二三四])季度?", text
    )
    if not found:
        shown = _shown(value)
        raise CellError(f"period {shown}: write a single quarter as 2025Q3 or 2025年第三季度")
    digit = found.group(2)
    return int(found.group(1)), _CN_DIGITS.get(digit) or int(digit)


def quarter_end(year: int, number_q: int) -> date:
    """Last day of the calendar quarter (A-share and most HK companies: calendar years)."""
    first_of_next = date(year + number_q // 4, number_q % 4 * 3 + 1, 1)
    return first_of_next - timedelta(days=1)


def day(value: Any) -> date:
    """``2025-10-28``, ``2025/10/28``, ``20251028`` or ``2025年10月28日``."""
    text = str(value or "").strip()
    found = re.fullmatch(r"(\d{4})[-/年]?(\d{1,2})[-/月]?(\d{1,2})日?", text)
    if not found:
        raise CellError(f"not a date: {_shown(value)}")
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError as exc:
        raise CellError(f"not a date: {_shown(value)} ({exc})") from None
