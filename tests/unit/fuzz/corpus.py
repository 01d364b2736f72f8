"""The regression corpus: inputs that crashed, hung or escaped a parser before issue 16.

Small ones are files under tests/fixtures/fuzz/<target>/; the big ones (megabytes of entity
declarations or nesting, long runs of spaces) are generated here instead of committed.
``python -m tests.unit.fuzz.corpus`` checks every generated case and prints one line each,
``NAME ok SECONDS`` or ``NAME FAIL ERROR``: run as a child process by the tests, because the
entity bomb killed the interpreter (SIGSEGV) rather than raising.
"""

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from radar_schemas.jsondoc import load_json
from radar_tagger.domain.text import segments

from . import contracts

CORPUS = Path(__file__).parents[2] / "fixtures" / "fuzz"


def entity_bomb(depth: int = 50_000) -> bytes:
    """Each entity refers to the one before: expat 2.5.0 overflowed its stack expanding it."""
    decls = "".join(f'<!ENTITY e{i} "&e{i - 1};">' for i in range(1, depth))
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e0 "x">{decls}]><rss><channel>'
        f"<item><title>&e{depth - 1};</title><link>http://a.example/1</link></item>"
        "</channel></rss>"
    ).encode()


def nested(depth: int, opening: str = "[", closing: str = "]", inner: str = "") -> bytes:
    return (opening * depth + inner + closing * depth).encode()


def json_feed(**item: str) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [item]}).encode()


def spaces_feed() -> bytes:
    """480 KB: a run of ideographic spaces with no line break, in a text that has one."""
    return json_feed(title="t", content_text="a\nb" + "\u3000" * 160_000 + "c")


def unterminated_tags_feed() -> bytes:
    return json_feed(title="t", content_html="lead " + "<x\n" * 20_000)


def companyfacts_file(raw: bytes) -> None:
    try:
        document = load_json(raw)
    except ValueError as exc:
        contracts.one_line(str(exc))
        return
    contracts.companyfacts(document)


def _tagger_item() -> None:
    segments("t", "Revenue rose.\nAI ads" + "\u3000" * 100_000 + "grew.")


# name: the check to run on it, within a time limit far above a linear parse's.
GENERATED: dict[str, Callable[[], object]] = {
    "jsonfeed-nested-100000": lambda: contracts.feed(b'{"items":' + nested(100_000) + b"}"),
    "jsonfeed-unicode-spaces-480kb": lambda: contracts.feed(spaces_feed()),
    "jsonfeed-unterminated-tags": lambda: contracts.feed(unterminated_tags_feed()),
    "calendar-nested-100000": lambda: contracts.calendar_file(nested(100_000), ".json"),
    "calendar-csv-field-over-limit": lambda: contracts.calendar_file(
        b"symbol,date,eps\n" + b"X" * 200_000 + b",2025-05-01,1\nA,2025-05-01,1\n", ".csv"
    ),
    "companyfacts-nested-100000": lambda: companyfacts_file(nested(100_000, '{"a":', "}", "1")),
    "tagger-item-100k-spaces": _tagger_item,
    "entity-bomb-50000": lambda: contracts.feed(entity_bomb()),  # last: it killed the process
}
TIME_LIMIT_S = 5.0


def files(target: str) -> list[Path]:
    return sorted((CORPUS / target).iterdir())


def check_file(path: Path) -> None:
    """The contract of the corpus file's target (its folder)."""
    raw = path.read_bytes()
    target = path.parent.name
    if target == "feeds":
        contracts.feed(raw)
    elif target == "calendars":
        contracts.calendar_file(raw, path.suffix)
    elif target == "companyfacts":
        companyfacts_file(raw)
    elif target == "documents":
        contracts.earnings_text(raw.decode("utf-8", errors="replace"))
    else:
        raise AssertionError(f"no target for {path}")


def main() -> None:
    for name, check in GENERATED.items():
        started = time.monotonic()
        try:
            check()
        except BaseException as exc:  # report every case, whatever it raised
            print(name, "FAIL", f"{type(exc).__name__}: {str(exc)[:300]!r}", flush=True)
            continue
        print(name, "ok", f"{time.monotonic() - started:.2f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
