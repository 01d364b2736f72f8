"""``radar digest``: the day's event cards from the alert stream, grouped by sector, as a
person would read them (Markdown), or as JSON lines.

A card's alerts are read from the stream; an event card that gained sources after its last
notification (a syndicated copy, a report that added no independent confirmation) is shown
as the alerter holds it now."""

import argparse
import sys
from datetime import date, datetime
from typing import Any

from redis.asyncio import Redis

from radar_alerter.domain.cards import of_sector
from radar_alerter.state import AlertStateStore
from radar_runtime import RuntimeSettings
from radar_schemas import AlertRaised, AlertStatus, Envelope, SchemaError, Sector, decode

from . import connection
from .cards import DayCard, json_lines, markdown
from .errors import CommandError

_PAGE = 1000


def register(sub: Any) -> None:
    """Add ``digest`` to the ``radar`` parser."""
    digest = sub.add_parser("digest", help="the day's event cards, grouped by sector")
    digest.add_argument(
        "--date", help="the day, YYYY-MM-DD (UTC, event time); default: the newest day alerted"
    )
    digest.add_argument("--sector", help="one sector: " + ", ".join(s.value for s in Sector))
    digest.add_argument("--json", action="store_true", help="one JSON object per card")
    digest.set_defaults(run=run)


def parse_day(value: str | None) -> date | None:
    """``YYYY-MM-DD`` or None; a clear error otherwise."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"--date: expected a day as YYYY-MM-DD, got {value!r}") from None


def parse_sector(value: str | None) -> Sector | None:
    if value is None:
        return None
    try:
        return Sector(value.strip().lower())
    except ValueError:
        known = ", ".join(s.value for s in Sector)
        raise ValueError(f"--sector: unknown sector {value!r} (one of: {known})") from None


def day_cards(events: list[Envelope[Any]], day: date | None) -> tuple[date | None, list[DayCard]]:
    """The cards of ``day`` (default: the newest day with a firing alert): for each alert
    (fingerprint and start) notified firing that day, its newest firing notification up to
    the end of the day, and whether it was resolved by then."""
    firing = [e for e in events if e.payload.status is AlertStatus.FIRING]
    if day is None:
        if not firing:
            return None, []
        day = max(e.occurred_at.date() for e in firing)
    incidents: dict[tuple[str, datetime], list[Envelope[Any]]] = {}
    for event in events:
        alert: AlertRaised = event.payload
        if event.occurred_at.date() <= day:
            incidents.setdefault((alert.fingerprint, alert.starts_at), []).append(event)
    found = []
    for seen in incidents.values():
        today = [
            e
            for e in seen
            if e.payload.status is AlertStatus.FIRING and e.occurred_at.date() == day
        ]
        if not today:
            continue
        newest = [e for e in seen if e.payload.status is AlertStatus.FIRING][-1].payload
        resolved = any(e.payload.status is AlertStatus.RESOLVED for e in seen)
        first_at = min(e.occurred_at for e in today)
        found.append(DayCard(newest, newest.card, first_at, resolved))
    return day, found


async def read_alerts(redis: "Redis", stream: str) -> list[Envelope[Any]]:
    """Every valid entry of the alert stream, oldest first."""
    events: list[Envelope[Any]] = []
    start = "-"
    while True:
        page: Any = await redis.xrange(stream, min=start, count=_PAGE)
        for entry_id, fields in page:
            try:
                events.append(decode(fields))
            except SchemaError as exc:
                print(f"radar: skipping an entry that is not a valid alert: {exc}", file=sys.stderr)
            start = f"({entry_id}"
        if len(page) < _PAGE:
            return events


async def as_held(states: AlertStateStore, entry: DayCard) -> DayCard:
    """An event card as the alerter holds it now (sources gathered since its last
    notification), when the alerter still holds this very card."""
    card = entry.card
    if card is None or entry.alert.ends_at is None or of_sector(card):
        return entry
    record = await states.current(entry.alert.fingerprint)
    if record is None or record.card is None or record.starts_at != entry.alert.starts_at:
        return entry
    alert = entry.alert.model_copy(
        update={"card": record.card, "severity": record.severity or entry.alert.severity}
    )
    return DayCard(alert, record.card, entry.first_at, entry.resolved)


def _firing_days(events: list[Envelope[Any]]) -> list[date]:
    """The days with a firing notification, newest first."""
    days = {e.occurred_at.date() for e in events if e.payload.status is AlertStatus.FIRING}
    return sorted(days, reverse=True)


async def _digest(
    redis: "Redis",
    settings: RuntimeSettings,
    day: date | None,
    sector: Sector | None,
    as_json: bool,
    where: str = "",
) -> int:
    events = await read_alerts(redis, settings.streams.alerts)
    shown, entries = day_cards(events, day)
    if sector is not None and day is None:  # the newest day with alerts in that sector
        shown, entries = None, []
        for candidate in _firing_days(events):
            found, its_entries = day_cards(events, candidate)
            if any(sector.value in e.sectors for e in its_entries):
                shown, entries = found, its_entries
                break
    states = AlertStateStore(redis, settings.stream_prefix)
    entries = [await as_held(states, e) for e in entries]
    if shown is None:
        if as_json:
            return 0
        print(
            "no alerts yet" if sector is None or not events else f"no alerts in {sector.value} yet"
        )
        if where:  # which Redis was read: a digest from the wrong directory reads another
            print(f"radar: read {settings.streams.alerts} at {where}", file=sys.stderr)
        return 0
    if sector is not None:
        entries = [e for e in entries if sector.value in e.sectors]
    if as_json:
        print(json_lines(entries, shown), end="")
        return 0
    note = "" if day is not None else " (the newest day with alerts; --date for another)"
    if sector is not None:
        note = (
            f"; sector {sector.value}"
            if day is not None
            else f" (the newest day with alerts in {sector.value}; --date for another)"
        )
    print(markdown(entries, shown, note), end="")
    return 0


def run(args: argparse.Namespace) -> int:
    """Print the digest."""
    try:
        day, sector = parse_day(args.date), parse_sector(args.sector)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    target = connection.target()
    settings = connection.settings(RuntimeSettings, target)

    async def show(redis: "Redis") -> int:
        where = target.described
        return await _digest(redis, settings, day, sector, args.json, where)

    return connection.run(show, target)
