"""Sentence splitting (issue 16, item 3): linear on long runs of Unicode spaces, and the same
segments as the pattern it replaced on every real text."""

import json
import re
import time
from pathlib import Path

from radar_tagger.domain.text import Segment, segments

# The boundary pattern before the fix, kept as the reference for identical output.
_OLD_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(A-Z0-9])")
_OLD_BOUNDARY = re.compile(_OLD_END.pattern + r"|\s*\n\s*")


def old_segments(title: str, text: str) -> list[Segment]:
    out = [Segment(title, 0, True, True)] if title.strip() else []
    start, first = 0, True
    for boundary in (_OLD_BOUNDARY if "\n" in text else _OLD_END).finditer(text):
        if text[start : boundary.start()].strip():
            out.append(Segment(text[start : boundary.start()], start, False, first))
            first = False
        start = boundary.end()
    if text[start:].strip():
        out.append(Segment(text[start:], start, False, first))
    return out


def test_a_long_run_of_unicode_spaces_splits_in_linear_time() -> None:
    # 100k characters blocked the tagger for over 75 s: every start in the run scanned on.
    text = "Revenue rose.\nAI ads" + "\u3000" * 100_000 + "grew."
    started = time.process_time()  # CPU time: other test workers share the cores
    found = segments("Title", text)
    assert time.process_time() - started < 1.0
    assert [s.text for s in found[1:]] == ["Revenue rose.", "AI ads" + "\u3000" * 100_000 + "grew."]


def test_segments_are_unchanged_on_real_texts_and_odd_spacing(fixtures: Path) -> None:
    texts = [
        json.loads(line).get("text") or ""
        for name in ("eval/dev.jsonl", "news/background.jsonl", "news/seed-article.jsonl")
        for line in (fixtures / name).read_text().splitlines()
    ]
    texts += [
        "A. B\n\n C",
        " \n lead",
        "x \u3000 \n\u2028 y. Z",
        "end.\u2003\u2003\nNext",
        "a\u3000\u3000b\nc",
        "\n",
        "",
        "One. \n Two! ( three",
    ]
    for text in texts:
        assert segments("T", text) == old_segments("T", text), text[:80]
