"""Real texts the fast-path tests compare against their slow paths: the labelled training
part, the dev set and the background summaries (title, text) in file order."""

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
