"""Writing the A-share listings file (`radar_reference/data/listings_cn.csv`) from a listing
table and a Chinese word list:

    python -m radar_reference.build_listings TABLE.csv --words jieba/dict.txt --header HEADER.txt

TABLE.csv has `code` (six digits), `name` (the exchange short name) and optionally
`full_name`; the word list is jieba's `dict.txt` (`word frequency tag` lines, from the jieba
package on PyPI), which marks the short names that are ordinary words.
"""

import argparse
import csv
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .listings import DEFAULT_LISTINGS_FILE, FIELDS, MIN_NAME, ListingsError, short_name, suffixed

# Part-of-speech tags (jieba's) of proper nouns: an organisation, another proper noun, a
# person-like name, an abbreviation, a fixed phrase. A name the word list has under any other
# tag (a noun, a verb, a place) is an ordinary word.
_PROPER = frozenset({"nt", "nz", "nr", "nrt", "nrfg", "j", "l"})


def _ordinary_words(path: Path) -> dict[str, str]:
    """Word -> part-of-speech tag, from a word list of `word frequency tag` lines (jieba's)."""
    words = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                words[parts[0]] = parts[2]
    return words


def build_rows(source: Iterable[dict[str, str]], words: dict[str, str]) -> Iterator[list[str]]:
    """Rows of the listings file from a table with `code`, `name` and `full_name`."""
    seen = set()
    for row in source:
        ticker = suffixed(row["code"].strip())
        if ticker in seen:
            raise ListingsError(f"{ticker} listed twice")
        seen.add(ticker)
        name = short_name(row["name"])
        ordinary = len(name) < MIN_NAME or words.get(name, "nt") not in _PROPER
        yield [ticker, name, (row.get("full_name") or "").strip(), "1" if ordinary else "0"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m radar_reference.build_listings",
        description="Write the A-share listings file from a listing table (CSV with code, "
        "name and optionally full_name columns) and a Chinese word list with part-of-speech "
        "tags (jieba's dict.txt), which marks short names that are ordinary words.",
    )
    parser.add_argument("table", type=Path, help="CSV: code,name[,full_name]")
    parser.add_argument("--words", type=Path, required=True, help="jieba's dict.txt")
    parser.add_argument("--header", type=Path, help="text to put first, as # comment lines")
    parser.add_argument("--out", type=Path, default=DEFAULT_LISTINGS_FILE)
    args = parser.parse_args(argv)
    with args.table.open(encoding="utf-8", newline="") as handle:
        rows = sorted(build_rows(csv.DictReader(handle), _ordinary_words(args.words)))
    with args.out.open("w", encoding="utf-8", newline="") as out:
        if args.header:
            for line in args.header.read_text(encoding="utf-8").splitlines():
                out.write(f"# {line}".rstrip() + "\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerows(rows)
    ordinary = sum(row[3] == "1" for row in rows)
    print(
        f"{args.out}: {len(rows)} listings, {ordinary} short names marked ordinary", file=sys.stderr
    )


if __name__ == "__main__":
    main()
