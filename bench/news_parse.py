"""News parse-and-normalise throughput over the real feeds in tests/fixtures/feeds.

For each round, every feed file is parsed and normalised to NewsItemIngested (what the
news service does per fetch: feedparser or JSON Feed, HTML to text, canonical URLs, ids,
dates), and, separately, only read by feedparser (the floor: the raw parse the service
cannot avoid). The MinHash signature each item gets for story chains is timed too.

    python bench/news_parse.py [--rounds R]

Prints a table and writes bench/results/news_parse.json.
"""

import argparse
import json
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from radar_news.domain.feeds import FeedConfig
from radar_news.domain.jsonfeed import looks_like_json, parse_json_feed
from radar_news.domain.parse import parse_document
from radar_news.domain.stories import signature

ROOT = Path(__file__).resolve().parents[1]
FEEDS = ROOT / "tests" / "fixtures" / "feeds"
RESULTS = Path(__file__).parent / "results"


def floor(documents: list[tuple[Path, bytes]]) -> int:
    """Parse only (feedparser, or json.loads for JSON Feed); returns entries seen."""
    entries = 0
    for _, content in documents:
        if looks_like_json(content):
            entries += len(parse_json_feed(content).items)
        else:
            entries += len(feedparser.parse(content).entries)
    return entries


def full(documents: list[tuple[Path, bytes]], now: datetime) -> list[Any]:
    """Parse and normalise, as the service does."""
    items = []
    for path, content in documents:
        items += parse_document(content, FeedConfig(name=path.stem, url=str(path)), now).items
    return items


def timed(action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    documents = [(p, p.read_bytes()) for p in sorted(FEEDS.iterdir())]
    now = datetime.now(UTC)
    rows: list[dict[str, float]] = []
    for _ in range(args.rounds):
        floor_s, entries = timed(lambda: floor(documents))
        full_s, items = timed(lambda: full(documents, now))
        sig_s, _ = timed(lambda items=items: [signature(item) for item in items])
        rows.append(
            {
                "floor_items_per_s": entries / floor_s,
                "parse_normalise_items_per_s": len(items) / full_s,
                "with_signature_items_per_s": len(items) / (full_s + sig_s),
                "ratio_to_floor": (len(items) / full_s) / (entries / floor_s),
            }
        )
    summary = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    result = {
        "feeds": len(documents),
        "bytes": sum(len(c) for _, c in documents),
        "items": len(items),
        "rounds": args.rounds,
        "median": summary,
        "rounds_detail": rows,
    }
    print(
        f"{len(documents)} real feeds, {result['bytes']:,} bytes, {len(items)} items, "
        f"median of {args.rounds} rounds"
    )
    print(f"{'path':<44}{'items/s':>12}")
    print(f"{'feedparser / JSON only (floor)':<44}{summary['floor_items_per_s']:>12,.0f}")
    print(f"{'parse and normalise':<44}{summary['parse_normalise_items_per_s']:>12,.0f}")
    with_signature = summary["with_signature_items_per_s"]
    print(f"{'parse, normalise and MinHash signature':<44}{with_signature:>12,.0f}")
    print(f"{'parse and normalise / floor':<44}{summary['ratio_to_floor']:>12.2f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "news_parse.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
