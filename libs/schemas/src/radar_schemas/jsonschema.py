"""JSON Schema for every message type, as published contracts."""

from typing import Any

from .envelope import EventType, envelope_model
from .wire import DATA_FIELD, HEADER_FIELDS


def event_schemas() -> dict[str, dict[str, Any]]:
    """Event type → JSON Schema of its envelope (payload included), for validation of decoded
    events, plus one schema of the stream entry itself (``entry``)."""
    schemas: dict[str, dict[str, Any]] = {}
    for event_type in EventType:
        schema = _open(envelope_model(event_type).model_json_schema(mode="serialization"))
        schema["properties"]["event_type"] = {"const": event_type.value, "type": "string"}
        schema["title"] = f"{PAYLOAD_NAME[event_type]} ({event_type.value})"
        schemas[event_type.value] = schema
    schemas["entry"] = entry_schema()
    return schemas


def _open(schema: Any) -> Any:
    """The schema without `additionalProperties: false`: a reader ignores fields it does not
    know (a field added within a schema version; see wire.UNKNOWN_PAYLOAD_FIELDS)."""
    if isinstance(schema, dict):
        return {
            key: _open(value)
            for key, value in schema.items()
            if not (key == "additionalProperties" and value is False)
        }
    if isinstance(schema, list):
        return [_open(value) for value in schema]
    return schema


def entry_schema() -> dict[str, Any]:
    """The stream entry as any Redis client sees it: string fields, JSON in ``data``."""
    required = [f for f in HEADER_FIELDS if f != "causation_id"] + [DATA_FIELD]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Radar stream entry",
        "type": "object",
        "properties": {name: {"type": "string"} for name in (*HEADER_FIELDS, DATA_FIELD)},
        "required": required,
        "additionalProperties": False,
    }


PAYLOAD_NAME = {
    EventType.NEWS_INGESTED: "NewsItemIngested",
    EventType.NEWS_UPDATED: "NewsItemIngested",
    EventType.EARNINGS_REPORTED: "EarningsReported",
    EventType.DOCUMENT_TAGGED: "DocumentTagged",
    EventType.SECTOR_SCORED: "SectorScored",
    EventType.ALERT_RAISED: "AlertRaised",
    EventType.DEAD_LETTERED: "DeadLettered",
}
