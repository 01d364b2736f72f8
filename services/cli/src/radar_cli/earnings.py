"""``radar earnings parse FILE``: what an earnings file yields, as JSON lines, unpublished."""

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from radar_earnings.domain.calendar import calendar_rows, parse_calendar
from radar_earnings.domain.documents import EarningsText, NotEarnings, read_earnings_text
from radar_earnings.domain.xbrl import parse_companyfacts
from radar_reference import load_companies
from radar_schemas.jsondoc import load_json

from .errors import require_files

KINDS = ("auto", "companyfacts", "calendar", "document")


def register(subparsers: Any) -> None:
    """Add ``earnings parse`` to the ``radar`` command."""
    earnings = subparsers.add_parser("earnings", help="earnings files").add_subparsers(
        dest="earnings", required=True
    )
    parse = earnings.add_parser(
        "parse",
        help="print the EarningsReported payloads (or documents) a file yields, as JSON lines",
    )
    parse.add_argument("file", type=Path)
    parse.add_argument("--kind", choices=KINDS, default="auto")
    parse.set_defaults(run=parse_file)


def _kind(path: Path, kind: str) -> tuple[str, Any]:
    # auto: a .csv is a calendar, a .json a calendar (a list) or companyfacts (an object),
    # anything else a text.
    suffix = path.suffix.lower()
    if kind == "auto":
        kind = {".csv": "calendar", ".json": "json"}.get(suffix, "document")
    if kind == "calendar":
        return kind, calendar_rows(path.read_bytes(), suffix)
    if kind in ("json", "companyfacts"):
        document = load_json(path.read_bytes())  # ValueError, never RecursionError
        if kind == "json":
            kind = "companyfacts" if isinstance(document, dict) else "calendar"
        elif not isinstance(document, dict):
            raise ValueError("a companyfacts document is a JSON object")
        return kind, document
    return "document", path.read_text(encoding="utf-8", errors="replace")


def _parse(path: Path, kind: str) -> tuple[list[BaseModel], list[str]]:
    kind, content = _kind(path, kind)
    if kind == "calendar":
        reports, problems = parse_calendar(content, source=path.stem)
        return list(reports), problems
    companies = load_companies()
    if kind == "companyfacts":
        known = companies.by_cik.get(f"{int(str(content.get('cik', 0))):010d}")
        facts, problems = parse_companyfacts(content, known.ticker if known else None)
        return list(facts), problems
    try:
        meta = EarningsText(name=path.name, fetched_at=datetime.now(UTC))
        outputs = read_earnings_text(content, meta, companies)
    except NotEarnings as exc:
        return [], [f"not an earnings text: {exc}"]
    return [outputs.document, *([outputs.report] if outputs.report else [])], []


def parse_file(args: argparse.Namespace) -> int:
    """Print one JSON line per payload (for a text: its document, then any report);
    rejections go to stderr. Exit 1 when nothing came out (a filing that is no earnings
    release, a calendar of reports still to come)."""
    path: Path = args.file
    require_files([path])
    try:
        payloads, problems = _parse(path, args.kind)
    except (ValueError, TypeError, KeyError) as exc:
        print(f"radar: {path}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"radar: {path}: {problem}", file=sys.stderr)
    for payload in payloads:
        print(payload.model_dump_json())
    return 0 if payloads else 1
