"""How the event-card rule's alerts read against labelled documents: of the cards the rule
raises on them, how many carry a theme the annotators gave, with their direction, and lead
with a company they named; how many fire on background items that carry no signal.

    python -m radar_cli.alert_quality [--rules YAML] [--model FILE] FILE[+FILE...]...

Each document is tagged as the tagger service tags it (`radar_tagger.documents`) and handed
to the rule's condition as the alerter hands it (`radar_alerter.domain.conditions.document`),
one document at a time: no Redis, and no grouping of one story's documents into one card, so
a card here is one document's.
`make eval` runs it on the frozen test split.
"""

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from radar_alerter.domain.conditions import document as card_condition
from radar_alerter.domain.load import RulesError, load_rules
from radar_alerter.domain.rules import DocumentRule
from radar_alerter.settings import DEFAULT_RULES_FILE
from radar_reference import ReferenceData, load_companies
from radar_schemas import NewsItemIngested, Severity
from radar_tagger.documents import tag_document
from radar_tagger.domain.model import ModelError
from radar_tagger.domain.tagger import Tagger
from radar_tagger.evaluate import canonical, file_sets, interval, resamples
from radar_tagger.loading import build_tagger

PUBLISHED = datetime(2026, 1, 1, tzinfo=UTC)  # the condition does not read the time


@dataclass(frozen=True)
class Outcome:
    """One labelled document under one rule."""

    background: bool  # the annotators gave it no theme
    directional: bool  # they gave it a positive or negative theme
    card: bool  # the rule raised a card
    theme: bool = False  # the card's theme is one they gave
    direction: bool = False  # ... with a direction they accept
    company: bool | None = None  # its lead company is one they named (None: no company)
    card_theme: str = ""  # the card's theme
    warning: bool = False  # raised above info from one document (a figure of its company)

    @property
    def right(self) -> bool:
        """A card a person could act on: right theme, right direction, and, when it names a
        company first, a company the story is about."""
        return self.card and self.theme and self.direction and self.company is not False


def judge(
    tagger: Tagger, rule: DocumentRule, reference: ReferenceData, row: dict[str, Any]
) -> Outcome:
    gold = row.get("gold") or {}
    themes: dict[str, list[str]] = gold.get("themes", {})
    optional = set(gold.get("optional_themes", []))
    background = not themes
    directional = any(
        p in ("positive", "negative") for accepted in themes.values() for p in accepted[:1]
    )
    item = NewsItemIngested(
        item_id=str(row.get("id") or "row"),
        source="labelled",
        title=row.get("title") or "",
        text=row.get("text") or "",
        published_at=PUBLISHED,
    )
    doc = tag_document(tagger, item)  # as the tagger service tags it
    observed = card_condition(rule, doc, reference)
    if not observed or observed[0].card is None:
        return Outcome(background, directional, card=False)
    card = observed[0].card
    theme = card.theme.value if card.theme else ""
    accepted = themes.get(theme, [])
    entities = {canonical(e) for e in gold.get("entities", []) + gold.get("optional_entities", [])}
    company = canonical(card.companies[0].entity_id) in entities if card.companies else None
    return Outcome(
        background,
        directional,
        card=True,
        theme=theme in themes or theme in optional,
        direction=card.polarity.value in accepted or theme in optional,
        company=company,
        card_theme=theme,
        warning=observed[0].severity is not Severity.INFO,
    )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%} ({part} of {whole})" if whole else "-"


def _interval(outcomes: Sequence[Outcome], samples: int) -> str:
    """95% bootstrap interval of the share of cards that are right, over documents."""
    if samples <= 0 or not any(o.card for o in outcomes):
        return ""
    values = []
    for drawn in resamples(outcomes, samples):
        cards = [o for o in drawn if o.card]
        if cards:
            values.append(sum(o.right for o in cards) / len(cards))
    low, high = interval(values)
    return f" [{low:.1%}–{high:.1%}]"


def render(name: str, rule: DocumentRule, outcomes: Sequence[Outcome], samples: int) -> list[str]:
    cards = [o for o in outcomes if o.card]
    labelled = [o for o in cards if not o.background]
    named = [o for o in labelled if o.company is not None]
    background = [o for o in outcomes if o.background]
    directional = [o for o in outcomes if o.directional]
    right = sum(o.right for o in cards)
    warnings = [o for o in cards if o.warning]
    rows = [
        ("cards raised", str(len(cards))),
        ("cards a person could act on", _share(right, len(cards)) + _interval(outcomes, samples)),
        ("  on background items (false alarms)", _share(len(cards) - len(labelled), len(cards))),
        ("  theme one the annotators gave", _share(sum(o.theme for o in labelled), len(labelled))),
        (
            "  and its direction",
            _share(sum(o.theme and o.direction for o in labelled), len(labelled)),
        ),
        ("  lead company one they named", _share(sum(bool(o.company) for o in named), len(named))),
        (
            "warning cards a person could act on",
            _share(sum(o.right for o in warnings), len(warnings)),
        ),
        (
            "background items raising a card",
            _share(sum(o.card for o in background), len(background)),
        ),
        (
            "items with a directional theme, right card",
            _share(sum(o.right for o in directional), len(directional)),
        ),
    ]
    by_theme: dict[str, list[Outcome]] = {}
    for card in cards:
        by_theme.setdefault(card.card_theme, []).append(card)
    rows.append(("right, by the card's theme:", ""))
    for theme, theirs in sorted(by_theme.items(), key=lambda item: (-len(item[1]), item[0])):
        rows.append((f"  {theme}", _share(sum(o.right for o in theirs), len(theirs))))
    head = (
        f"== alerts of rule {rule.name} (min confidence {rule.min_confidence:g}) on {name}:"
        f" {len(outcomes)} documents =="
    )
    return [head, *(f"{label:<44} {value}" for label, value in rows)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files", nargs="+", help="labelled JSON lines; A.jsonl+B.jsonl scores the two as one set"
    )
    parser.add_argument("--rules", type=Path, default=DEFAULT_RULES_FILE, help="alert rules YAML")
    parser.add_argument("--rule", default="event_card", help="the document rule to judge")
    parser.add_argument("--model", type=Path, help="a model file (default: the shipped one)")
    parser.add_argument("--bootstrap", type=int, default=1000, metavar="N")
    args = parser.parse_args(argv)
    try:
        rules = load_rules(args.rules)
        tagger = build_tagger(model_file=args.model)
    except (RulesError, ModelError) as exc:
        sys.exit(str(exc))
    rule = next((r for r in rules.rules if r.name == args.rule), None)
    if not isinstance(rule, DocumentRule):
        kinds = ", ".join(r.name for r in rules.rules if isinstance(r, DocumentRule)) or "none"
        sys.exit(f"{args.rules}: no document rule named {args.rule!r} (document rules: {kinds})")
    reference = load_companies()

    def judged(row: dict[str, Any]) -> list[Outcome]:
        if "themes" not in (row.get("gold") or {"themes": {}}):
            return []  # a sentiment-only row
        return [judge(tagger, rule, reference, row)]

    for name, outcomes in file_sets(args.files, judged):
        print("\n".join(render(name, rule, outcomes, args.bootstrap)) + "\n")


if __name__ == "__main__":
    main()
