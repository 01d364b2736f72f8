"""``radar tag [FILE|-]`` or ``radar tag --text TEXT``: tag JSON lines (or one text) offline,
with no Redis (used for evaluation)."""

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from radar_alerter.domain.cards import card_figure
from radar_reference import ReferenceError as CompaniesFileError
from radar_schemas import Quantity
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
    tag.add_argument(
        "file",
        nargs="?",
        help="JSON lines, one document a line with id, and text or title or both (- or none:"
        " standard input, when it is not a terminal)",
    )
    tag.add_argument("--text", help="tag this text (a headline, a sentence) instead of a file")
    tag.add_argument("--taxonomy", type=Path, help="taxonomy YAML (default: the built-in one)")
    tag.add_argument("--companies", type=Path, help="company reference YAML")
    tag.add_argument("--model", type=Path, help="learned model file (default: the built-in one)")
    tag.add_argument("--rules-only", action="store_true", help="the taxonomy's rules alone")
    tag.add_argument(
        "--no-listings",
        action="store_true",
        help="the companies YAML alone, without the directory of every A-share listing",
    )
    tag.add_argument(
        "--format",
        choices=("json", "text"),
        default="json",
        help="json: one JSON line a document, with evidence and offsets (default); text: a "
        "few readable lines a document",
    )
    tag.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Tag each input line and print one JSON line per input, in order."""
    try:
        tagger = build_tagger(
            args.taxonomy, args.companies, args.model, args.rules_only, not args.no_listings
        )
    except (TaxonomyError, CompaniesFileError, ModelError) as exc:
        raise CommandError(str(exc)) from exc
    if args.text is not None:
        if args.file is not None:
            raise CommandError("give a file or --text, not both")
        if not args.text.strip():
            raise CommandError("nothing to tag: --text is empty")
        given = [json.dumps({"id": "text", "text": args.text})]
        return _tag_lines(tagger, given, sys.stdout, args.format)
    if args.file in (None, "-"):
        if args.file is None and sys.stdin.isatty():
            raise CommandError(
                "nothing to tag: give a file of JSON lines, pipe them in, or --text '...'"
            )
        return _tag_lines(tagger, sys.stdin.buffer, sys.stdout, args.format)
    if not args.file.strip():
        raise CommandError("nothing to tag: the file name is empty (to tag a sentence: --text)")
    path = Path(args.file)
    if path.is_dir():
        raise CommandError(f"a directory, not a file of JSON lines: {path}")
    if not path.is_file():
        sentence = " " in path.name or not path.suffix
        hint = " (to tag a sentence: radar tag --text '...')" if sentence else ""
        raise CommandError(f"no such file: {path}{hint}")
    with path.open("rb") as lines:
        return _tag_lines(tagger, lines, sys.stdout, args.format)


def _tag_lines(
    tagger: Tagger, lines: Iterable[str | bytes], out: TextIO, form: str = "json"
) -> int:
    """Tag every good line; a bad one is named on stderr and skipped (the rest are still
    tagged), and makes the exit code 2."""
    started = last_report = time.monotonic()
    count = skipped = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8") if isinstance(line, bytes) else line
            row = json.loads(text)
            if not isinstance(row, dict):
                raise ValueError("not a JSON object with id, and text or title")
            tagged = tag_row(tagger, row)
        except UnicodeDecodeError:
            problem = "not UTF-8 text"
        except json.JSONDecodeError as exc:
            problem = (
                f"not JSON ({exc}); each line is a JSON object with id, and text or title;"
                " radar tag --text '...' tags plain text"
            )
        except ValueError as exc:
            problem = str(exc)
        else:
            problem = ""
        if problem:
            print(f"radar tag: line {number}: {problem} (skipped)", file=sys.stderr)
            skipped += 1
            continue
        out.write(readable(tagged) if form == "text" else json.dumps(tagged, ensure_ascii=False))
        out.write("\n")
        count += 1
        now = time.monotonic()
        if now - last_report >= PROGRESS_EVERY_S:
            print(
                f"radar tag: {count} documents ({count / (now - started):.0f}/s)", file=sys.stderr
            )
            last_report = now
    done = f"radar tag: {count} document{'' if count == 1 else 's'} tagged"
    if skipped:
        print(f"{done}; {skipped} bad line{'' if skipped == 1 else 's'} skipped", file=sys.stderr)
        return 2
    print(done, file=sys.stderr)
    return 0


_ARROWS = {"positive": "▲", "negative": "▼", "neutral": "·"}


def readable(tagged: dict[str, Any]) -> str:
    """A document's `tag_row` in a few lines a person reads: themes with direction and
    confidence, companies with relevance, sectors, figures as an event card words them."""
    themes = ", ".join(
        f"{_ARROWS[polarity]} {theme} {polarity} ({tagged['confidence'][theme]:.2f})"
        for theme, polarity in tagged["themes"].items()
    )
    companies = ", ".join(f"{c} {r:.2f}" for c, r in tagged["entity_relevance"].items())
    figures = "; ".join(card_figure(Quantity.model_validate(q)).text for q in tagged["quantities"])
    state = "relevant" if tagged["relevant"] else "not relevant"
    return "\n".join(
        [
            f"{tagged['id']}: {state}, sentiment {tagged['sentiment']}",
            f"  themes:    {themes or '-'}",
            f"  companies: {companies or '-'}",
            f"  sectors:   {', '.join(tagged['sectors']) or '-'}",
            f"  figures:   {figures or '-'}",
        ]
    )
