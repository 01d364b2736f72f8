"""When a sector's score update is decided: per closed coalescing interval of event time,
whatever order signals arrive in. Pure.

Event time is cut into intervals of ``interval_ms``; an interval (end - interval, end] is
closed once the watermark (the newest event time folded in, minus the allowed lateness) has
reached its end, or once no signal has come for the idle release time (a quiet feed, the end
of a replay), or when a replay is closed explicitly. At the end of each closed interval that
holds a signal of any sector, in event-time order, a sector is updated when it had a signal
in that interval (or a late signal waiting for it), or when its last update is at least the
quiet refresh time older (its score has decayed). The update is computed from every signal at
or before the interval's end, so the sequence of updates is a function of the set of signals
alone, as long as none comes later than the allowed lateness.
"""

from dataclasses import dataclass

FAR_MS = 2**62  # a watermark past every interval: close them all


def interval_end_ms(at_us: int, interval_ms: int) -> int:
    """The end (ms) of the interval holding event time ``at_us`` (µs): the first multiple of
    the interval at or after it, so a signal exactly at an end belongs to that interval."""
    interval_us = interval_ms * 1000
    return -(-at_us // interval_us) * interval_ms


@dataclass(frozen=True)
class Timing:
    """How long intervals wait: ``lateness_ms`` of event time behind the newest signal, or
    ``idle_ms`` of wall time without a new signal; and how stale (``refresh_ms`` of event
    time) a quiet sector's last update may get before it is updated again."""

    lateness_ms: int = 300_000
    idle_ms: int = 10_000
    refresh_ms: int = 3_600_000


def watermark_ms(
    newest_ms: int | None,
    admitted_wall_ms: int | None,
    *,
    timing: Timing,
    wall_ms: int,
    everything: bool = False,
) -> int | None:
    """The event time (ms) up to which intervals are closed now; None before any signal."""
    if newest_ms is None:
        return None
    idle = admitted_wall_ms is None or wall_ms - admitted_wall_ms >= timing.idle_ms
    if everything or idle:
        return FAR_MS
    return newest_ms - timing.lateness_ms


def updates_sector(
    *, waiting: bool, last_as_of_ms: int | None, end_ms: int, refresh_ms: int
) -> bool:
    """Whether a sector is updated at the end of a closed interval: it has signals waiting
    for this interval (or an earlier one), or its last update is ``refresh_ms`` old."""
    if waiting:
        return True
    return last_as_of_ms is not None and end_ms - last_as_of_ms >= refresh_ms
