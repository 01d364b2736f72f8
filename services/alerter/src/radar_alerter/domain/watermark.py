"""Event-time watermark: when an alerter input may be decided, whatever order inputs arrive.

Inputs wait until the watermark (the newest event time admitted minus the allowed lateness)
passes them, then are decided in event-time order; inputs of one millisecond in a fixed order
of kind (earnings reports, then documents, then score updates: an inhibiting rule's source
first, a document's note before the score it moves) and id. So the same inputs give the same
decisions in any arrival order, as long as no input is later than the allowed lateness. An
input older than what was decided already is late: it is decided on arrival and counted.
"""

from collections.abc import Mapping
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
    """Per input stream, the newest event time admitted (ms) and when (wall-clock ms) it
    last admitted an input; and how far decisions have gone (event-time ms)."""

    newest_ms: Mapping[InputKind, int]
    admitted_wall_ms: Mapping[InputKind, int]
    released_ms: int | None


def cutoff(
    marks: Marks, *, lateness_ms: int, idle_ms: int, wall_ms: int, everything: bool = False
) -> int | None:
    """The event time (ms) up to which inputs are decided now, or None when nothing new is.

    The watermark is the least of the active input streams' newest times, minus the allowed
    lateness: a stream behind the others (score updates trail the documents they come from)
    holds decisions back until it catches up. A stream that has admitted nothing for
    ``idle_ms`` of wall time is not waited for; when none is active (a quiet feed, the end of
    a replay), or when asked for ``everything``, the watermark is the newest time admitted."""
    if not marks.newest_ms:
        return None
    active = [
        newest
        for kind, newest in marks.newest_ms.items()
        if wall_ms - marks.admitted_wall_ms.get(kind, wall_ms) < idle_ms
    ]
    if everything or not active:
        target = max(marks.newest_ms.values())
    else:
        target = min(active) - lateness_ms
    if marks.released_ms is not None and target <= marks.released_ms:
        return None
    return target
