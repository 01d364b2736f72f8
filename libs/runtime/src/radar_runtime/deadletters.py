"""The dead-letter entry, built here for every writer (the consume loop, the notifier's
deliveries), so that one record shape, one bound on its size and one correlation rule hold
whoever gives up on a message. ``radar_schemas.DeadLettered`` is the record's schema."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from radar_schemas import DeadLettered, EventType, Streams, encode, new_event

MAX_ERROR_CHARS = 4_000
MAX_ORIGINAL_VALUE_CHARS = 100_000


@dataclass(frozen=True)
class Failure:
    """What was given up on: where it was read (stream key, group, entry id or delivery), by
    which service, why (``reason``, a label from a small fixed set), after how many attempts."""

    stream: str
    group: str
    entry_id: str
    service: str
    reason: str
    error: str
    attempts: int


def dead_letter_entry(
    streams: Streams,
    failure: Failure,
    original: Mapping[str, str],
    *,
    original_event_id: str | None = None,
    correlation_id: str | None = None,
) -> tuple[str, dict[str, str]]:
    """The ``(dead-letter stream, fields)`` to add for ``failure``, keeping ``original`` (the
    entry's fields, each value bounded) so that it can be replayed. Its correlation id is the
    original's, else ``stream/entry id``; its causation id the original event's id."""
    failed_at = datetime.now(UTC)
    record = DeadLettered(
        stream=failure.stream,
        group=failure.group,
        entry_id=failure.entry_id,
        service=failure.service,
        reason=failure.reason,
        error=failure.error[:MAX_ERROR_CHARS],
        attempts=failure.attempts,
        failed_at=failed_at,
        original={k: v[:MAX_ORIGINAL_VALUE_CHARS] for k, v in original.items()},
        original_event_id=original_event_id,
    )
    event = new_event(
        EventType.DEAD_LETTERED,
        record,
        producer=failure.service,
        correlation_id=correlation_id or f"{failure.stream}/{failure.entry_id}",
        causation_id=original_event_id,
        occurred_at=failed_at,
    )
    return streams.deadletter, encode(event)
