"""The wire format: a stream entry is plain string fields any Redis client can read.

Envelope fields travel as entry fields of their own; the payload travels as a JSON
object in the ``data`` field::

    XADD radar:alerts * event_id 0193… event_type alert.raised schema_version 1
         occurred_at 2026-…Z emitted_at 2026-…Z producer alerter correlation_id … data {…}
"""

import base64
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import ValidationError

from .envelope import PAYLOAD_TYPES, Envelope, EventType, Header, envelope_model

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
# A reader ignores payload fields it does not know: within a schema version, a field may be
# added (optional, with a default) and readers built before it go on reading. Producers
# still cannot send a field their models lack (every model forbids unknown fields when it is
# built). Removing or renaming a field, or changing what one means, takes a new
# schema_version. The entry's own fields (the envelope) stay a closed set.
UNKNOWN_PAYLOAD_FIELDS: Literal["ignore"] = "ignore"
_ENTRY_FIELDS = frozenset((*HEADER_FIELDS, DATA_FIELD))
_EVENT_TYPES: dict[str, EventType] = {t.value: t for t in EventType}


class SchemaError(ValueError):
    """A message that does not match its schema. The text names every offending field."""


class NotUtf8Error(SchemaError):
    """An entry with a field name or value that is not UTF-8. ``original`` keeps every field,
    each name or value that is not UTF-8 base64-encoded (the error names them), so the
    exact bytes survive in a dead letter."""

    def __init__(self, raw: Mapping[bytes, bytes]) -> None:
        self.original: dict[str, str] = {}
        problems: list[str] = []
        for raw_name, raw_value in raw.items():
            name, name_error = _text_or_base64(raw_name)
            value, value_error = _text_or_base64(raw_value)
            self.original[name] = value
            if name_error:
                problems.append(f"field name {name!r}: not valid UTF-8 ({name_error})")
            if value_error:
                problems.append(f"{name}: not valid UTF-8 ({value_error})")
        super().__init__("; ".join(problems) + "; kept base64-encoded in the original fields")


def _text_or_base64(raw: bytes) -> tuple[str, str | None]:
    """``raw`` as text, or as base64 with the reason it is not UTF-8."""
    try:
        return raw.decode(), None
    except UnicodeDecodeError as exc:
        return base64.b64encode(raw).decode("ascii"), f"{exc.reason} at byte {exc.start}"


def fields_from_bytes(raw: Mapping[bytes, bytes]) -> dict[str, str]:
    """Entry fields as read from Redis (bytes) → text, or NotUtf8Error. Decoding here, field
    by field, rather than in the Redis client makes a bad entry one invalid entry instead of
    an exception in the middle of reading a batch."""
    try:
        return {name.decode(): value.decode() for name, value in raw.items()}
    except UnicodeDecodeError:
        raise NotUtf8Error(raw) from None


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
    """Stream entry fields → a validated envelope, or SchemaError naming the fields at fault.

    ``data`` is validated as one JSON document on its own, then the envelope from the
    header fields and that payload: pasted into a larger JSON text, a crafted ``data``
    could close the payload and set header fields of its own."""
    event_type = _checked_event_type(fields)
    header = {name: value for name, value in fields.items() if name != DATA_FIELD}
    errors: list[str] = []
    try:
        payload = PAYLOAD_TYPES[event_type].model_validate_json(
            fields[DATA_FIELD], extra=UNKNOWN_PAYLOAD_FIELDS
        )
    except ValidationError as exc:
        errors.append(describe(exc, within="payload"))
    try:
        # Lax mode converts the header's strings (times, the version number) as the
        # strings mode of pydantic would, and takes the validated payload as it is: one
        # pass, where validating the header apart and assembling the two cost twice as much.
        if errors:
            Header.model_validate(header, strict=False)
        else:
            document = {**header, "payload": payload}
            return envelope_model(event_type).model_validate(document, strict=False)
    except ValidationError as exc:
        errors.insert(0, describe(exc))
    raise SchemaError("; ".join(errors))


def _checked_event_type(fields: Mapping[str, str]) -> EventType:
    """The entry's event type, once its field names are known to be an envelope's."""
    event_type = _EVENT_TYPES.get(fields.get("event_type") or "")
    if event_type is None:
        raise SchemaError(f"event_type: unknown event type {fields.get('event_type')!r}")
    if not fields.keys() <= _ENTRY_FIELDS:
        unknown = sorted(set(fields) - _ENTRY_FIELDS)
        raise SchemaError(f"{', '.join(unknown)}: unknown entry field")
    if DATA_FIELD not in fields:
        raise SchemaError("data: field required")
    return event_type


def describe(exc: ValidationError, within: str = "") -> str:
    """One line per error: ``payload.title: String should have at most 1000 characters``.
    ``within``: the name the validated document has in the envelope (``payload``)."""
    return "; ".join(f"{_where(e, within)}: {e['msg']}" for e in exc.errors(include_url=False))


def _where(error: Any, within: str) -> str:
    if error["type"] == "json_invalid":  # the text of the data field is not JSON at all
        return DATA_FIELD
    return ".".join(str(part) for part in (within, *error["loc"]) if part != "") or DATA_FIELD
