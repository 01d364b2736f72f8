"""``radar silence add|list|expire``: mute alerts by label for a while (wall-clock time)."""

import argparse
import getpass
import json
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from radar_alerter.domain.silences import Silence, parse_matchers
from radar_alerter.mutes import SilenceStore
from radar_runtime import RuntimeSettings

from . import connection
from .errors import CommandError
from .labels import check_label, unknown_rules

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def register(sub: Any) -> None:
    """Add ``silence`` to the ``radar`` parser."""
    silence = sub.add_parser("silence", help="mute alerts by label").add_subparsers(
        dest="silence", required=True
    )
    add = silence.add_parser("add", help="mute alerts matching every label=value")
    add.add_argument("matchers", nargs="+", help="label=value (alertname=RULE for a rule)")
    add.add_argument("--for", dest="duration", default="2h", help="30m, 2h, 1d (default 2h)")
    add.add_argument("--comment", default="", help="why")
    add.set_defaults(run=run_add)
    listing = silence.add_parser("list", help="silences, active and expired")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_list)
    expire = silence.add_parser("expire", help="end a silence now")
    expire.add_argument("id")
    expire.set_defaults(run=run_expire)


def parse_duration(value: str) -> timedelta:
    """``90s``, ``30m``, ``2h``, ``1d``."""
    match = _DURATION.match(value.strip())
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"--for: expected a positive duration like 30m, 2h or 1d: {value!r}")
    return timedelta(seconds=float(match.group(1)) * _UNIT_S[match.group(2)])


def _with_store(action: Any) -> int:
    """``action(store)`` against this command's Redis; Redis failures are one line."""
    target = connection.target()
    prefix = connection.settings(RuntimeSettings, target).stream_prefix

    async def run(redis: Any) -> int:
        result: int = await action(SilenceStore(redis, prefix))
        return result

    return connection.run(run, target)


def _line(s: Silence, now: datetime) -> str:
    state = "active" if s.active(now) else ("pending" if s.starts_at > now else "expired")
    matchers = " ".join(f"{k}={v}" for k, v in sorted(s.matchers.items()))
    return f"{s.id}  {state:<8} until {s.ends_at.isoformat()}  {matchers}  {s.comment}".rstrip()


def run_add(args: argparse.Namespace) -> int:
    """Create a silence starting now."""
    try:
        matchers, duration = parse_matchers(args.matchers), parse_duration(args.duration)
        for name, value in matchers.items():
            check_label(name, value)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    for rule in unknown_rules([matchers["alertname"]] if "alertname" in matchers else []):
        print(f"radar: note: {rule!r} is not a rule of the bundled rules file", file=sys.stderr)
    now = datetime.now(UTC)
    silence = Silence(
        matchers=matchers,
        starts_at=now,
        ends_at=now + duration,
        comment=args.comment,
        created_by=getpass.getuser(),
    )

    async def add(store: SilenceStore) -> int:
        print(_line(await store.add(silence), now))
        return 0

    return _with_store(add)


def run_list(args: argparse.Namespace) -> int:
    """Print every silence."""

    async def show(store: SilenceStore) -> int:
        silences, now = await store.all(), datetime.now(UTC)
        if args.json:
            print(json.dumps([s.model_dump(mode="json") for s in silences]))
        if not silences and not args.json:
            print("radar: no silences", file=sys.stderr)
        for s in [] if args.json else silences:
            print(_line(s, now))
        return 0

    return _with_store(show)


def run_expire(args: argparse.Namespace) -> int:
    """End a silence now."""

    async def expire(store: SilenceStore) -> int:
        now = datetime.now(UTC)
        ended = await store.expire(args.id, now)
        if ended is None:
            raise CommandError(f"no silence {args.id}")
        print(_line(ended, now))
        return 0

    return _with_store(expire)
