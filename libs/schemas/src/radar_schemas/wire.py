"""The wire format: a stream entry is plain string fields any Redis client can read.

Envelope fields travel as entry fields of their own; the payload travels as a JSON
object in the ``data`` field::

    XADD radar:alerts * event_id 0193… event_type alert.raised schema_version 1
         occurred_at 2026-…Z emitted_at 2026-…Z producer alerter correlation_id … data {…}
"""

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from .envelope import Envelope, EventType, envelope_model

HEADER_FIELDS = (
    "event_id",
    "event_type",
    "schema_version",
    "occurred_at",
    "emitted_at",
    "producer",
    "correlation_id",
    "causation_id",
)
DATA_FIELD = "data"


class SchemaError(ValueError):
    """A message that does not match its schema. The text names every offending field."""


def encode(event: Envelope[Any]) -> dict[str, str]:
    """Envelope → stream entry fields."""
    fields = {
        "event_id": event.event_id,
        "event_type": event.event_type.value,
        "schema_version": str(event.schema_version),
        "occurred_at": event.occurred_at.isoformat(),
        "emitted_at": event.emitted_at.isoformat(),
        "producer": event.producer,
        "correlation_id": event.correlation_id,
    }
    if event.causation_id is not None:
        fields["causation_id"] = event.causation_id
    fields[DATA_FIELD] = event.payload.model_dump_json()
    return fields


def decode(fields: Mapping[str, str]) -> Envelope[Any]:
    """Stream entry fields → a validated envelope, or SchemaError naming the fields at fault."""
    event_type = fields.get("event_type")
    if event_type is None or event_type not in EventType._value2member_map_:
        raise SchemaError(f"event_type: unknown event type {event_type!r}")
    unknown = set(fields) - set(HEADER_FIELDS) - {DATA_FIELD}
    if unknown:
        raise SchemaError(f"{', '.join(sorted(unknown))}: unknown entry field")
    if DATA_FIELD not in fields:
        raise SchemaError("data: field required")
    header: dict[str, Any] = {k: fields[k] for k in HEADER_FIELDS if k in fields}
    if "schema_version" in header:
        header["schema_version"] = _int_or_text(header["schema_version"])
    # The payload comes first so that header keys, validated as JSON, cannot be shadowed.
    document = '{"payload":' + fields[DATA_FIELD] + "," + json.dumps(header)[1:]
    try:
        return envelope_model(EventType(event_type)).model_validate_json(document)
    except ValidationError as exc:
        raise SchemaError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """One line per error: ``payload.title: String should have at most 1000 characters``."""
    lines = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or DATA_FIELD
        lines.append(f"{where}: {error['msg']}")
    return "; ".join(lines)


def _int_or_text(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value  # left as text so that validation names the field
