"""Tagger throughput: documents per second on one core over the dev and background texts.

Tags every document of tests/fixtures/eval/dev.jsonl and tests/fixtures/news/background.jsonl
(title and text) several times through the pure domain Tagger, pinned to one CPU, and compares
with a floor: the same texts only scanned by the Aho-Corasick automaton (no tagging logic).
CPU time (process_time) is used so that other load on a shared machine does not count.

    python bench/tagger.py [--rounds R] [--model PATH]

`--model` times another model file (an older `model.npz`, to compare) instead of the shipped one.

Prints a table (with the process's peak RSS) and writes bench/results/tagger.json.
"""

import argparse
import json
import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from radar_tagger.loading import build_tagger

ROOT = Path(__file__).parent.parent
INPUTS = [ROOT / "tests/fixtures/eval/dev.jsonl", ROOT / "tests/fixtures/news/background.jsonl"]
RESULTS = Path(__file__).parent / "results"


def documents() -> list[tuple[str, str]]:
    rows = [json.loads(line) for path in INPUTS for line in path.read_text().splitlines() if line]
    return [(r.get("title") or "", r.get("text") or "") for r in rows]


def rate(docs: list[tuple[str, str]], work: Callable[[str, str], Any], rounds: int) -> float:
    """Median documents per CPU second over the rounds."""
    rates = []
    for _ in range(rounds):
        started = time.process_time()
        for title, text in docs:
            work(title, text)
        rates.append(len(docs) / (time.process_time() - started))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--model", type=Path, help="a model file instead of the shipped one")
    parser.add_argument(
        "--no-listings", action="store_true", help="without the A-share listings directory"
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    tagger = build_tagger(model_file=args.model, listings=not args.no_listings)
    docs = documents()
    rate(docs, tagger.tag, 1)  # warm up
    tagged = rate(docs, tagger.tag, args.rounds)
    floor = rate(docs, lambda t, x: (tagger.matcher.find(t), tagger.matcher.find(x)), args.rounds)
    chars = sum(len(t) + len(x) for t, x in docs) / len(docs)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    report = {
        "model": str(args.model or "shipped"),
        "listings": not args.no_listings,
        "documents": len(docs),
        "mean_chars": round(chars),
        "rounds": args.rounds,
        "tagger_docs_per_s": round(tagged),
        "automaton_floor_docs_per_s": round(floor),
        "tagger_over_floor": round(tagged / floor, 3),
        "peak_rss_mb": round(peak_rss_mb),
    }
    print(f"{'what':<28}{'documents/s (one core)':>24}")
    print(f"{'tagger (full tag)':<28}{tagged:>24,.0f}")
    print(f"{'automaton scan only':<28}{floor:>24,.0f}")
    print(
        f"{len(docs)} documents, {chars:.0f} characters on average; "
        f"tagger/floor {tagged / floor:.2f}; peak RSS {peak_rss_mb:.0f} MB"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "tagger.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
