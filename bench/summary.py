"""Collects every benchmark's JSON in bench/results into bench/results/latest.json and prints
the headline figures. Run last by `make bench`."""

import json
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parts = {
        path.stem: json.loads(path.read_text())
        for path in sorted(RESULTS.glob("*.json"))
        if path.stem != "latest"
    }
    summary = {"written_at": datetime.now(UTC).isoformat(), **parts}
    (RESULTS / "latest.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"bench/results/latest.json: {', '.join(parts) or 'no results'}")


if __name__ == "__main__":
    main()
