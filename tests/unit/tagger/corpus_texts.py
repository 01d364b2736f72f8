"""Real texts for the tagger's tests: those the fast-path tests compare against their slow
paths (the labelled training part, the dev set and the background summaries, title and text
in file order), and one training item by its id."""

import json
from pathlib import Path

ROOT = Path(__file__).parents[3]
TEXTS = [
    ROOT / "tests/fixtures/eval/train.jsonl",
    ROOT / "tests/fixtures/eval/dev.jsonl",
    ROOT / "tests/fixtures/news/background.jsonl",
]


def documents() -> list[tuple[str, str]]:
    rows = [json.loads(line) for path in TEXTS for line in path.read_text().split("\n") if line]
    return [(r.get("title") or "", r.get("text") or "") for r in rows]


def training_item(item_id: str) -> tuple[str, str]:
    """One item of the labelled training part or the dev set (title, text), by its id."""
    for path in TEXTS[:2]:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["id"] == item_id:
                return row.get("title") or "", row["text"]
    raise LookupError(item_id)
