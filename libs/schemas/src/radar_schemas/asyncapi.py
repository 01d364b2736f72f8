"""An AsyncAPI 3.0 document for every Radar stream, generated from the message models."""

from typing import Any

from .envelope import EventType
from .jsonschema import PAYLOAD_NAME, event_schemas
from .streams import Streams

# Which event types travel on which stream, who writes and who reads them.
STREAM_EVENTS: dict[str, tuple[EventType, ...]] = {
    "news": (EventType.NEWS_INGESTED, EventType.NEWS_UPDATED),
    "earnings": (EventType.EARNINGS_REPORTED,),
    "tagged": (EventType.DOCUMENT_TAGGED,),
    "scores": (EventType.SECTOR_SCORED,),
    "alerts": (EventType.ALERT_RAISED,),
    "deadletter": (EventType.DEAD_LETTERED,),
}
PRODUCERS: dict[str, tuple[str, ...]] = {
    "news": ("news", "earnings"),
    "earnings": ("earnings",),
    "tagged": ("tagger",),
    "scores": ("scorer",),
    "alerts": ("alerter",),
    "deadletter": ("news", "earnings", "tagger", "scorer", "alerter", "notifier"),
}
CONSUMERS: dict[str, tuple[str, ...]] = {
    "news": ("tagger",),
    "earnings": ("scorer", "alerter"),
    "tagged": ("scorer", "alerter"),
    "scores": ("alerter",),
    "alerts": ("notifier",),
    "deadletter": (),
}
HEADER_DOC = (
    "Each entry is plain string fields: the envelope fields (event_id, event_type, "
    "schema_version, occurred_at, emitted_at, producer, correlation_id, causation_id) each as "
    "a field, and the payload as a JSON object in `data`. The schema below is the envelope "
    "with the payload decoded."
)


def _message_name(event_type: EventType) -> str:
    return event_type.value.replace(".", "_")


def asyncapi_document(streams: Streams | None = None, version: str = "0.1.0") -> dict[str, Any]:
    """The AsyncAPI document for one deployment's stream keys."""
    streams = streams or Streams()
    schemas = event_schemas()
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for name, event_types in STREAM_EVENTS.items():
        channels[name] = {
            "address": streams.key(name),
            "description": f"Redis stream `{streams.key(name)}`. {HEADER_DOC}",
            "messages": {
                _message_name(t): {"$ref": f"#/components/messages/{_message_name(t)}"}
                for t in event_types
            },
        }
        refs = [{"$ref": f"#/channels/{name}/messages/{_message_name(t)}"} for t in event_types]
        for service in PRODUCERS[name]:
            operations[f"{service}_sends_{name}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{name}"},
                "messages": refs,
                "summary": f"{service} adds entries to {streams.key(name)}",
            }
        for service in CONSUMERS[name]:
            operations[f"{service}_receives_{name}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{name}"},
                "messages": refs,
                "summary": f"{service} reads {streams.key(name)} as consumer group `{service}`",
            }
    messages = {
        _message_name(t): {
            "name": t.value,
            "title": PAYLOAD_NAME[t],
            "contentType": "application/json",
            "payload": {"$ref": f"#/components/schemas/{_message_name(t)}"},
        }
        for t in EventType
    }
    components: dict[str, Any] = {}
    for event_type in EventType:
        schema = schemas[event_type.value]
        components.update(_rebase(schema.pop("$defs", {})))
        components[_message_name(event_type)] = _rebase(schema)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Radar streams",
            "version": version,
            "description": "AI-monetization signals over Redis streams.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": components},
    }


def _rebase(node: Any) -> Any:
    """JSON Schema's local ``#/$defs/X`` references, pointed at ``#/components/schemas/X``."""
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", "#/components/schemas/")
                if key == "$ref" and isinstance(value, str)
                else _rebase(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rebase(value) for value in node]
    return node
