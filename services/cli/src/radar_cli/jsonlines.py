"""News from JSON lines files (the labelled corpus, exports of other tools) for ``radar
replay`` and ``radar backtest``: one item a line, a line that cannot be one counted with its
reason, the link kept whichever field holds it."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from radar_news.domain.parse import day_only
from radar_news.domain.text import without_footer
from radar_schemas import NewsItemIngested
from radar_schemas.base import MAX_URL_CHARS
from radar_schemas.jsondoc import document_row_problem

# Fields of a JSON line that may hold its link, in order (the labelled corpus has it in
# ``source``, others in ``url`` or ``link``).
LINK_FIELDS = ("url", "link", "source")


@dataclass
class Skipped:
    """Lines of a JSON lines file that were not published, by reason."""

    lines: int = 0
    reasons: dict[str, list[int]] = field(default_factory=dict)

    def add(self, reason: str, number: int) -> None:
        self.reasons.setdefault(reason, []).append(number)

    def count(self) -> int:
        return sum(len(numbers) for numbers in self.reasons.values())

    def summary(self) -> str:
        """``skipped 3 of 10 lines (no id: lines 2, 5; not JSON: line 7)``."""
        parts = []
        for reason, numbers in self.reasons.items():
            shown = ", ".join(map(str, numbers[:5])) + (", …" if len(numbers) > 5 else "")
            parts.append(f"{reason}: line{'s' if len(numbers) > 1 else ''} {shown}")
        return f"skipped {self.count()} of {self.lines} lines ({'; '.join(parts)})"


def news_from_jsonl(
    path: Path, source: str, now: datetime | None = None
) -> tuple[list[NewsItemIngested], Skipped]:
    """JSON lines with ``id``, ``text`` and/or ``title``, optionally ``published``, a link in
    ``url``, ``link`` or ``source`` (see ``link_and_source``). A line without an id, with
    neither title nor text, or that is not a JSON object, is skipped and counted. An undated
    line gets ``now`` (default: this moment) with ``published_estimated`` set, as the news
    service dates an undated feed entry."""
    items, skipped = [], Skipped()
    now = now or datetime.now(UTC)
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        if not raw.strip():
            continue
        skipped.lines += 1
        row, reason = _row(raw)
        if reason:
            skipped.add(reason, number)
            continue
        published, estimated = _published(row.get("published"), now)
        by_day = not estimated and day_only(str(row.get("published")))
        url, name = link_and_source(row, source)
        try:
            items.append(
                NewsItemIngested(
                    item_id=str(row["id"]),
                    source=name,
                    title=str(row.get("title") or ""),
                    text=without_footer(str(row.get("text") or ""), str(row.get("title") or "")),
                    url=url,
                    published_at=published,
                    published_estimated=estimated,
                    published_day_only=by_day,
                )
            )
        except ValidationError as exc:
            error = exc.errors()[0]
            skipped.add(f"{'.'.join(map(str, error['loc']))}: {error['msg']}", number)
    return items, skipped


def _row(raw: bytes) -> tuple[dict[str, Any], str]:
    """The line as a JSON object, or why it is not one that can be published."""
    try:
        row = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return {}, "not UTF-8"
    except (ValueError, RecursionError):
        return {}, "not JSON"
    if not isinstance(row, dict):
        return {}, "not a JSON object"
    return row, document_row_problem(row)


def link_and_source(row: dict[str, Any], default: str) -> tuple[str | None, str]:
    """The line's link (the first of ``url``, ``link``, ``source`` that is an http(s) URL
    of at most 2,048 characters) and its source name: ``source`` when it is a name, the
    link's host when ``source`` is the link (so that copies from two publishers count as
    two sources), else ``default``."""
    links = [row.get(name) for name in LINK_FIELDS]
    url = next((v for v in links if isinstance(v, str) and _is_link(v)), None)
    named = row.get("source")
    if isinstance(named, str) and named.strip() and not _is_link(named):
        return url, named.strip()[:128]
    host = urlsplit(named).hostname if isinstance(named, str) and _is_link(named) else None
    return url, (host or default)[:128]


def _is_link(value: str) -> bool:
    return value.startswith(("https://", "http://")) and len(value) <= MAX_URL_CHARS


def _published(value: Any, now: datetime) -> tuple[datetime, bool]:
    if isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)), False
    return now, True
