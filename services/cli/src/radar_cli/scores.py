"""``radar scores``: the sector table, now or at any event time, computed from the signals the
scorer keeps (the same computation as the scorer's, with its settings)."""

import argparse
import json
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis

from radar_schemas import SectorScored
from radar_scorer.scoring import table
from radar_scorer.settings import ScorerSettings
from radar_scorer.state import ScoreStore

from . import connection
from .cards import one_line
from .errors import CommandError

_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})Z?")  # 2026-11-20, 2026-11-20Z


def register(sub: Any) -> None:
    """Add ``scores`` to the ``radar`` parser."""
    scores = sub.add_parser("scores", help="sector scores, now or at a past time")
    scores.add_argument(
        "--at",
        help="ISO time with zone (e.g. 2026-11-20T12:00Z), or 'now';"
        " default: the newest event time scored",
    )
    scores.add_argument("--json", action="store_true", help="one JSON array of SectorScored")
    scores.set_defaults(run=run)


def parse_at(value: str | None) -> datetime | None:
    """``now``, an ISO time with a zone, or None (the newest event time)."""
    if value is None:
        return None
    if value == "now":
        return datetime.now(UTC)
    day = _DAY.fullmatch(value)
    if day:  # a day alone: as of its end (UTC)
        return datetime.fromisoformat(day.group(1)).replace(tzinfo=UTC) + timedelta(
            days=1, microseconds=-1
        )
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--at: not now or an ISO time with zone: {value!r}") from None
    if moment.tzinfo is None:
        raise ValueError(f"--at: give a time zone (e.g. {value}Z, or a day alone: {value[:10]})")
    return moment


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def render(rows: list[SectorScored], at: datetime, which: str = "") -> str:
    """A plain table, highest score first; ``which`` says what the time is."""
    lines = [f"sector scores at {_stamp(at)} (event time{', ' + which if which else ''})"]
    lines.append(f"{'sector':<20} {'score':>8} {'z':>7} {'momentum':>9} {'attention':>9} signals")

    def fmt(value: float | None, width: int) -> str:
        return f"{'-':>{width}}" if value is None else f"{value:>{width}.2f}"

    for row in sorted(rows, key=lambda r: (-r.score, r.sector.value)):
        lines.append(
            f"{row.sector.value:<20} {row.score:>8.3f} {fmt(row.z, 7)} {fmt(row.momentum, 9)}"
            f" {row.attention:>9.2f} {row.signals:>7}"
        )
        if row.top_contributors:
            top = row.top_contributors[0]
            what = one_line(top.title or top.quote or top.document_id, 70)
            lines.append(f"{'':<20} top: {what} ({top.at.astimezone(UTC):%Y-%m-%d %H:%M}Z)")
    return "\n".join(lines)


async def _scores(
    redis: Redis,
    settings: ScorerSettings,
    at: datetime | None,
    as_json: bool,
    which: str = "",
    where: str = "",
) -> int:
    store = ScoreStore(redis, settings.stream_prefix, settings.coalesce_interval_s)
    # Default: the exact event time of the newest signal, so the table includes it.
    moment = at or await store.newest()
    if moment is None:
        print("[]" if as_json else "no scores yet")
        if where:  # from another directory than radar up's, another Redis is read
            print(f"radar: read the scores at {where}", file=sys.stderr)
        return 0
    rows = await table(store, moment, settings.params())
    if as_json:
        print(json.dumps([row.model_dump(mode="json") for row in rows]))
        return 0
    print(render(rows, moment, which or "the newest signal"))
    if not rows:  # an --at before every signal, or a Redis with no scores at all
        newest = await store.newest()
        print(
            f"no signals before then (newest signal: {_stamp(newest)})"
            if newest
            else "no scores yet",
        )
        if where:
            print(f"radar: read the scores at {where}", file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    """Print the table."""
    try:
        at = parse_at(args.at)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    which = "" if args.at is None else ("now" if args.at == "now" else "as asked")
    target = connection.target()
    settings = connection.settings(ScorerSettings, target)

    async def show(redis: Redis) -> int:
        where = target.described
        return await _scores(redis, settings, at, args.json, which, where)

    return connection.run(show, target)
