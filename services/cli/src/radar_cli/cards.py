"""Event cards as a person reads them: a day's alerts grouped by sector, in Markdown or as
JSON lines. Pure: the digest command reads the alerts and hands them here."""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from radar_alerter.domain.cards import confirmed, of_sector, sector_name, stamp, theme_name
from radar_schemas import AlertRaised, AlertStatus, Sector
from radar_schemas.alerts import CardFigure, EventCard

_ARROW = {"positive": "▲", "negative": "▼", "neutral": "•"}
_ORDER = {"critical": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class DayCard:
    """One event of the day: its newest notification, the card as it stands, and the event
    time of its first notification that day."""

    alert: AlertRaised
    card: EventCard | None
    first_at: datetime
    resolved: bool = False

    @property
    def sector(self) -> str:
        if "sector" in self.alert.labels:
            return self.alert.labels["sector"]
        return self.card.sectors[0].value if self.card and self.card.sectors else "other"

    @property
    def sectors(self) -> set[str]:
        found = {self.sector}
        if self.card:
            found |= {s.value for s in self.card.sectors}
        return found


def one_line(text: str, limit: int) -> str:
    """The text on one line, cut at a word with "…" when longer than ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut) + "…"


def _figure(figure: CardFigure) -> str:
    return figure.text or f"{figure.kind} {figure.value:g} {figure.unit}"


def _title(entry: DayCard) -> str:
    alert, card = entry.alert, entry.card
    if card is None:
        return alert.summary
    direction = card.polarity.value
    arrow = _ARROW.get(direction, "•")
    theme = theme_name(card.theme) if card.theme else alert.rule.replace("_", " ")
    who = ", ".join(f"{c.name} ({c.ticker})" if c.ticker else c.name for c in card.companies)
    if of_sector(card):
        return f"{arrow} {card.headline} · {theme} · {alert.rule}"
    return f"{arrow} {direction.capitalize()} · {theme}{' · ' + who if who else ''}"


def _source_line(
    title: str,
    url: str | None,
    source: str | None,
    at: datetime | None,
    card: EventCard | None = None,
) -> str:
    shown = (title or "untitled").replace("[", "(").replace("]", ")")
    link = f"[{shown}]({url})" if url else shown
    origin = f"{source}, " if source else ""
    return f"  - {link} — {origin}{stamp(at, card)}"


def markdown_card(entry: DayCard) -> list[str]:
    """One card: heading, severity and confirmation, quote, why now, figures, sources."""
    alert, card = entry.alert, entry.card
    state = "resolved" if entry.resolved else alert.status.value
    lines = [f"### {_title(entry)}", ""]
    if card is None:
        lines.append(f"**{alert.severity.value}** · {state} · since {stamp(alert.starts_at)}")
        for e in alert.evidence:
            lines.append(_source_line(e.title, e.url, None, e.published_at))
        return [*lines, ""]
    lines.append(
        f"**{alert.severity.value}** · {confirmed(card)}"
        # The news's time, which the alert (raised when the rule fired) may follow by hours.
        + (
            f" · first reported {stamp(card.first_seen, card)}"
            if card.first_seen
            else f" · since {stamp(alert.starts_at, card)}"
        )
        + f" · {state}"
    )
    lines.append("")
    if card.quote:
        lines += [f"> {card.quote.strip()}", ""]
    if card.why_now:
        lines.append(f"- **Why now:** {card.why_now}")
    if card.figures:
        lines.append(f"- **Figures:** {'; '.join(_figure(f) for f in card.figures[:5])}")
    sectors = ", ".join(sector_name(s) for s in card.sectors)
    if sectors:
        lines.append(f"- **Sectors:** {sectors}")
    lines.append(f"- **Sources ({len(card.sources)}):**")
    for s in card.sources:
        lines.append(_source_line(s.title or s.quote[:100], s.url, s.source, s.published_at, card))
    return [*lines, ""]


def _ordered(entries: Iterable[DayCard]) -> list[DayCard]:
    return sorted(
        entries,
        key=lambda e: (_ORDER.get(e.alert.severity.value, 3), e.first_at, e.alert.fingerprint),
    )


def by_sector(entries: Iterable[DayCard]) -> dict[str, list[DayCard]]:
    """Cards per sector, sectors in the taxonomy's order, most severe card first."""
    grouped: dict[str, list[DayCard]] = defaultdict(list)
    for entry in entries:
        grouped[entry.sector].append(entry)
    order = [s.value for s in Sector]
    names = sorted(grouped, key=lambda s: (order.index(s) if s in order else len(order), s))
    return {name: _ordered(grouped[name]) for name in names}


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}" if count else ""


def markdown(entries: list[DayCard], day: date, note: str = "") -> str:
    """The day's digest in Markdown."""
    grouped = by_sector(entries)
    moves = sum(1 for e in entries if e.card is not None and of_sector(e.card))
    bare = sum(1 for e in entries if e.card is None)  # stored before alerts carried cards
    kinds = [
        _counted(len(entries) - moves - bare, "event card"),  # a story's or a report's
        _counted(moves, "sector alert"),  # a sector score's move
        _counted(bare, "other alert"),
    ]
    lines = [f"# Radar digest: {day.isoformat()}", ""]
    if entries:
        said = [k for k in kinds if k]
        listed = ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]
        lines.append(
            f"{listed} in {_counted(len(grouped), 'sector')}; times are event time, UTC{note}."
        )
    else:
        lines.append(f"No alert on this day{note}.")
    lines.append("")
    for sector, cards in grouped.items():
        known = {s.value: s for s in Sector}
        name = sector_name(known[sector]) if sector in known else sector
        lines += [f"## {name} ({len(cards)})", ""]
        for entry in cards:
            lines += markdown_card(entry)
    return "\n".join(lines).rstrip() + "\n"


def json_lines(entries: list[DayCard], day: date) -> str:
    """One JSON object per card: the alert with the card as it stands, its sector and day."""
    rows = []
    for sector, cards in by_sector(entries).items():
        for entry in cards:
            row = entry.alert.model_dump(mode="json")
            row["card"] = entry.card.model_dump(mode="json") if entry.card else None
            row["status"] = (
                AlertStatus.RESOLVED.value if entry.resolved else entry.alert.status.value
            )
            rows.append({"date": day.isoformat(), "sector": sector, **row})
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
