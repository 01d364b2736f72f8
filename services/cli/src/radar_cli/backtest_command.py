"""``radar backtest``'s arguments; the command itself (which loads every service) is
imported only when it runs, so that other commands start quickly."""

import argparse
from typing import Any

from .arguments import positive_seconds


def register(sub: Any) -> None:
    """Add ``backtest`` to the ``radar`` parser."""
    backtest = sub.add_parser(
        "backtest",
        help="replay history in isolation: which alerts each rule raises (and, with"
        " --prices, what followed them)",
    )
    backtest.add_argument("files", nargs="+", help="news JSON lines or feeds, earnings calendars")
    backtest.add_argument("--rules", help="alert rules YAML (default: the bundled rules)")
    backtest.add_argument("--kind", choices=("auto", "feed", "jsonl", "calendar"), default="auto")
    backtest.add_argument(
        "--prices",
        help="CSV of date,ticker,close: mean next-day and next-week return after each rule's"
        " alerts, for the companies on its cards, against their sector's average",
    )
    backtest.add_argument("--json", action="store_true", help="one JSON object per alert")
    backtest.add_argument("--keep", action="store_true", help="keep the run's keys in Redis")
    backtest.add_argument(
        "--timeout", type=positive_seconds, default=600, help="seconds (default 600)"
    )
    backtest.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .backtest import run as backtest

    return backtest(args)
