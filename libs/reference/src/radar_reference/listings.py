"""The directory of A-share listings: every company on the Shanghai, Shenzhen and Beijing
exchanges, by ticker, short name (证券简称) and registered name.

`companies.yaml` describes the companies the product watches, with sectors and aliases. The
directory only names the rest, so that a story naming 芯原股份 or 宁德时代 has them as entities
(never as the subject that makes a story a signal: `watched` is false, no sectors). A short
name that is also an ordinary word (机器人, 太阳能, 中关村) is not matched alone; the registered
name still is.

The file (`data/listings_cn.csv`) is made by `python -m radar_reference.build_listings`, from
a listing table and a Chinese word list (see its header for where they came from).
"""

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from .companies import CompanyRecord, ReferenceError

DEFAULT_LISTINGS_FILE = Path(__file__).parent / "data" / "listings_cn.csv"

_EXCHANGES = {"SS": "SSE", "SZ": "SZSE", "BJ": "BSE"}
FIELDS = ["ticker", "name", "full_name", "ordinary"]
# Status marks around an exchange short name: *ST and ST (special treatment), N and C on
# the first days of trading, -U (not yet profitable), -W (weighted voting rights).
_PREFIX = re.compile(r"^(?:\*?ST|[NC](?=[\u4e00-\u9fff]))")
_SUFFIX = re.compile(r"-(?:U|W|UW|WD)$")
MIN_NAME = 3  # two-character short names (柳工, 易购) are too often part of other words


class ListingsError(ReferenceError):
    """The listings file is unreadable or a row is malformed; the message says where."""


def short_name(name: str) -> str:
    """The name news uses: without the exchange's status marks (*ST国华 is 国华)."""
    return _SUFFIX.sub("", _PREFIX.sub("", name.strip()))


_BOARDS = (  # the A-share boards by code prefix (B shares, 900… and 200…, are not A shares)
    (("60", "68"), "SS"),
    (("00", "30"), "SZ"),
    (("4", "8", "92"), "BJ"),
)


def suffixed(code: str) -> str:
    """A six-digit A-share code with its exchange suffix: 688256.SS, 300413.SZ, 920982.BJ.
    The one rule for it: the listings builder and the A-share results reader both use it."""
    if not re.fullmatch(r"\d{6}", code):
        raise ListingsError(f"not a six-digit A-share code: {code!r}")
    for prefixes, exchange in _BOARDS:
        if code.startswith(prefixes):
            return f"{code}.{exchange}"
    raise ListingsError(f"no A-share board has codes like {code!r}")


def load_listings(path: Path = DEFAULT_LISTINGS_FILE) -> list[CompanyRecord]:
    """Every row of a listings file as a company record (unwatched, without sectors)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ListingsError(f"{path}: {exc}") from exc
    records = []
    for number, row in enumerate(rows, start=1):
        try:
            record = _record(row)
        except (KeyError, ValueError) as exc:
            raise ListingsError(f"{path}: row {number} ({row}): {exc}") from exc
        if record is not None:
            records.append(record)
    return records


def _record(row: dict[str, str]) -> CompanyRecord | None:
    """The row's company, or None when it has no name to match (an ordinary-word short name
    and no registered name)."""
    # a short row leaves its last fields None: "" (then refused as a ticker or left out)
    ticker, name, full_name = ((row[f] or "").strip() for f in ("ticker", "name", "full_name"))
    aliases = [full_name] if full_name else []
    if (row["ordinary"] or "").strip() != "1":
        aliases.append(name)
        if name[-1:] in "AＡ" and len(name) > MIN_NAME:  # 京东方A is written 京东方 too
            aliases.append(name[:-1])
    if not aliases:
        return None
    return CompanyRecord(
        id=ticker,
        name=name or full_name,
        aliases=tuple(dict.fromkeys(aliases)),
        ticker=ticker,
        exchange=_EXCHANGES[ticker.rsplit(".", 1)[-1]],
        country="CN",
        watched=False,
        ai_lab=False,
    )


def merged(
    companies: tuple[CompanyRecord, ...], listings: Iterable[CompanyRecord]
) -> tuple[CompanyRecord, ...]:
    """The reference companies, then each listing none of them already has (by ticker), with
    the names a reference company already uses left out."""
    tickers = {t.upper() for c in companies for t in c.tickers}
    names = {a.casefold() for c in companies for a in (c.name, *c.aliases)}
    extra = []
    for listing in listings:
        if listing.id.upper() in tickers:
            continue
        aliases = tuple(a for a in listing.aliases if a.casefold() not in names)
        if not aliases:
            continue
        names.update(a.casefold() for a in aliases)
        extra.append(listing.model_copy(update={"aliases": aliases}))
    return companies + tuple(extra)
