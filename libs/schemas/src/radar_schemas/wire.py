"""The wire format: a stream entry is plain string fields any Redis client can read.

Envelope fields travel as entry fields of their own; the payload travels as a JSON
object in the ``data`` field::

    XADD radar:alerts * event_id 0193… event_type alert.raised schema_version 1
         occurred_at 2026-…Z emitted_at 2026-…Z producer alerter correlation_id … data {…}
"""

from collections.abc import Mapping
from json.encoder import encode_basestring as _string
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
_ENTRY_FIELDS = frozenset((*HEADER_FIELDS, DATA_FIELD))
_EVENT_TYPES: dict[str, EventType] = {t.value: t for t in EventType}


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
    event_type = _EVENT_TYPES.get(fields.get("event_type") or "")
    if event_type is None:
        raise SchemaError(f"event_type: unknown event type {fields.get('event_type')!r}")
    if not fields.keys() <= _ENTRY_FIELDS:
        unknown = sorted(set(fields) - _ENTRY_FIELDS)
        raise SchemaError(f"{', '.join(unknown)}: unknown entry field")
    if DATA_FIELD not in fields:
        raise SchemaError("data: field required")
    # One JSON document, validated in one pass. The payload comes first so that header keys
    # cannot be shadowed by it; header values are escaped as JSON strings (schema_version,
    # when all digits, as a number), so validation reports them under their own names.
    parts = ['{"payload":', fields[DATA_FIELD]]
    for name in HEADER_FIELDS:
        value = fields.get(name)
        if value is not None:
            literal = value if name == "schema_version" and value.isdigit() else _string(value)
            parts.append(f',"{name}":{literal}')
    parts.append("}")
    document = "".join(parts)
    try:
        return envelope_model(event_type).model_validate_json(document)
    except ValidationError as exc:
        raise SchemaError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """One line per error: ``payload.title: String should have at most 1000 characters``."""
    lines = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or DATA_FIELD
        lines.append(f"{where}: {error['msg']}")
    return "; ".join(lines)
