"""Event-time watermark: when an alerter input may be decided, whatever order inputs arrive.

Inputs wait until the watermark (the newest event time admitted minus the allowed lateness)
passes them, then are decided in event-time order; inputs of one millisecond in a fixed order
of kind (earnings reports, then documents, then score updates: an inhibiting rule's source
first, a document's note before the score it moves) and id. So the same inputs give the same
decisions in any arrival order, as long as no input is later than the allowed lateness. An
input older than what was decided already is late: it is decided on arrival and counted.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InputKind(StrEnum):
    """The alerter's inputs, by the stream they come from; the value is also the metric
    label (a fixed set)."""

    EARNINGS = "earnings"
    DOCUMENT = "tagged"
    SCORE = "scores"


_RANK = {InputKind.EARNINGS: "0", InputKind.DOCUMENT: "1", InputKind.SCORE: "2"}


def ms(at: datetime) -> int:
    """Milliseconds since the epoch, exactly (floored)."""
    return (at - _EPOCH) // timedelta(milliseconds=1)


def input_key(kind: InputKind, ident: str, at: datetime) -> str:
    """The pending input's identity and its tie-break among inputs of the same millisecond:
    rank of its kind, then its id (document, report or sector, not the envelope's id, which a
    replay makes anew). A score update is one per sector and event time."""
    return f"{_RANK[kind]}|{ident}|{ms(at)}"


@dataclass(frozen=True)
class Marks:
    """How far inputs and decisions have gone, in event-time ms, and when (wall-clock ms) an
    input last arrived."""

    newest_ms: int | None
    released_ms: int | None
    admitted_wall_ms: int | None


def cutoff(
    marks: Marks, *, lateness_ms: int, idle_ms: int, wall_ms: int, everything: bool = False
) -> int | None:
    """The event time (ms) up to which inputs are decided now, or None when nothing new is.

    The watermark is the newest input's time minus the allowed lateness; when no input has
    arrived for ``idle_ms`` of wall time (a quiet feed, the end of a replay), or when asked
    for ``everything``, it is the newest input's time itself."""
    if marks.newest_ms is None:
        return None
    idle = marks.admitted_wall_ms is not None and wall_ms - marks.admitted_wall_ms >= idle_ms
    target = marks.newest_ms if everything or idle else marks.newest_ms - lateness_ms
    if marks.released_ms is not None and target <= marks.released_ms:
        return None
    return target
