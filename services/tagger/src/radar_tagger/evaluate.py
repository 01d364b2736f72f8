"""Scores the tagger on a labelled set and on background news it should not fire on.

    python -m radar_tagger.evaluate LABELLED.jsonl [BACKGROUND.jsonl]

Labelled rows carry ``gold`` (themes with accepted polarities, sectors, entities, each with
optional labels that count neither for nor against). Micro precision, recall and F1 per
field; polarity accuracy over themes found that are in gold; background false-positive rate
(the share of background documents tagged relevant).
"""

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radar_reference import load_companies

from .domain.tagger import Tagger, TagResult
from .domain.taxonomy import load_taxonomy

# Equivalent listings of one company count as one entity.
SAME_ENTITY = {
    "0700.HK": "TCEHY",
    "9999.HK": "NTES",
    "9988.HK": "BABA",
    "GOOG": "GOOGL",
    "NTDOY": "7974.T",
    "2330.TW": "TSM",
}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, found: set[str], gold: set[str], optional: set[str]) -> None:
        found = found - (optional - gold)
        self.tp += len(found & gold)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    def scores(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def canonical(entity: str) -> str:
    upper = entity.upper()
    return SAME_ENTITY.get(upper, upper)


def evaluate(tagger: Tagger, rows: list[dict[str, Any]]) -> dict[str, Any]:
    themes, sectors, entities = Counts(), Counts(), Counts()
    polarity_right = polarity_total = 0
    for row in rows:
        gold = row["gold"]
        result: TagResult = tagger.tag(row.get("title") or "", row.get("text") or "")
        found = {t.theme.value: t.polarity.value for t in result.themes}
        themes.add(set(found), set(gold["themes"]), set(gold.get("optional_themes", [])))
        sectors.add(
            {s.sector.value for s in result.sectors},
            set(gold["sectors"]),
            set(gold.get("optional_sectors", [])),
        )
        entities.add(
            {canonical(e.entity_id) for e in result.entities},
            {canonical(e) for e in gold["entities"]},
            {canonical(e) for e in gold.get("optional_entities", [])},
        )
        for theme, polarity in found.items():
            if theme in gold["themes"]:
                polarity_total += 1
                polarity_right += polarity in gold["themes"][theme]
    return {
        "documents": len(rows),
        "themes": themes.scores(),
        "sectors": sectors.scores(),
        "entities": entities.scores(),
        "polarity_accuracy": polarity_right / polarity_total if polarity_total else None,
    }


def background_fp_rate(tagger: Tagger, rows: list[dict[str, Any]]) -> float:
    fired = sum(tagger.tag(r.get("title") or "", r.get("text") or "").relevant for r in rows)
    return fired / len(rows) if rows else 0.0


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        sys.exit(__doc__)
    tagger = Tagger(load_taxonomy(), load_companies())
    report = evaluate(tagger, read_jsonl(Path(args[0])))
    print(f"{'labelled: ' + str(report['documents']) + ' documents':<34}{'precision':>10}"
          f"{'recall':>8}{'F1':>7}")  # fmt: skip
    for field in ("themes", "sectors", "entities"):
        precision, recall, f1 = report[field]
        print(f"{field:<34}{precision:>10.3f}{recall:>8.3f}{f1:>7.3f}")
    accuracy = report["polarity_accuracy"]
    shown = "n/a" if accuracy is None else f"{accuracy:.3f}"
    print(f"{'polarity accuracy on themes found':<34}{shown:>25}")
    if len(args) > 1:
        background = read_jsonl(Path(args[1]))
        rate = background_fp_rate(tagger, background)
        label = f"background: {len(background)} tagged relevant"
        print(f"{label:<34}{rate:>25.1%}")


if __name__ == "__main__":
    main()
