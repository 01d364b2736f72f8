"""``radar tag [FILE|-]``: tag JSON lines offline, with no Redis (used for evaluation)."""

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from radar_reference import ReferenceError as CompaniesFileError
from radar_tagger.domain.model import ModelError
from radar_tagger.domain.tagger import Tagger
from radar_tagger.domain.taxonomy import TaxonomyError
from radar_tagger.loading import build_tagger
from radar_tagger.offline import tag_row

from .commands import CommandError

PROGRESS_EVERY_S = 2.0  # seconds between progress lines on stderr


def register(subparsers: Any) -> None:
    """Add the `tag` command."""
    tag = subparsers.add_parser("tag", help="tag JSON lines offline (no Redis); one row out each")
    tag.add_argument("file", nargs="?", default="-", help="JSON lines file, or - for stdin")
    tag.add_argument("--taxonomy", type=Path, help="taxonomy YAML (default: the built-in one)")
    tag.add_argument("--companies", type=Path, help="company reference YAML")
    tag.add_argument("--model", type=Path, help="learned model file (default: the built-in one)")
    tag.add_argument("--rules-only", action="store_true", help="the taxonomy's rules alone")
    tag.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Tag each input line and print one JSON line per input, in order."""
    try:
        tagger = build_tagger(args.taxonomy, args.companies, args.model, args.rules_only)
    except (TaxonomyError, CompaniesFileError, ModelError) as exc:
        raise CommandError(str(exc)) from exc
    if args.file == "-":
        return _tag_lines(tagger, sys.stdin, sys.stdout)
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    with path.open(encoding="utf-8") as lines:
        return _tag_lines(tagger, lines, sys.stdout)


def _tag_lines(tagger: Tagger, lines: Iterable[str], out: TextIO) -> int:
    started = last_report = time.monotonic()
    count = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("not a JSON object")
            tagged = tag_row(tagger, row)
        except ValueError as exc:
            print(f"radar tag: line {number}: {exc}", file=sys.stderr)
            return 2
        out.write(json.dumps(tagged, ensure_ascii=False) + "\n")
        count += 1
        now = time.monotonic()
        if now - last_report >= PROGRESS_EVERY_S:
            print(
                f"radar tag: {count} documents ({count / (now - started):.0f}/s)", file=sys.stderr
            )
            last_report = now
    print(f"radar tag: {count} documents tagged", file=sys.stderr)
    return 0
