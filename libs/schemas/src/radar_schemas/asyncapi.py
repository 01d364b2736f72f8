"""An AsyncAPI 3.0 document for every Radar stream, generated from the message models and
the services' manifests."""

from typing import Any

from .envelope import EventType
from .jsonschema import PAYLOAD_NAME, event_schemas
from .streams import Streams
from .topology import MANIFESTS, STREAMS, consumers, producers, stream_events

# Which event types travel on which stream, who writes and who reads them: from the
# services' manifests (topology.py), never written out a second time.
STREAM_EVENTS: dict[str, tuple[EventType, ...]] = {s: stream_events(s) for s in STREAMS}
PRODUCERS: dict[str, tuple[str, ...]] = {s: producers(s) for s in STREAMS}
CONSUMERS: dict[str, tuple[str, ...]] = {s: consumers(s) for s in STREAMS}
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
        operations.update(_operations(name, streams))
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


def _operations(name: str, streams: Streams) -> dict[str, Any]:
    """Who sends to and who receives from stream ``name``, each with the event types its
    manifest declares there."""

    def operation(action: str, types: tuple[EventType, ...], summary: str) -> dict[str, Any]:
        refs = [{"$ref": f"#/channels/{name}/messages/{_message_name(t)}"} for t in types]
        channel = {"$ref": f"#/channels/{name}"}
        return {"action": action, "channel": channel, "messages": refs, "summary": summary}

    key, found = streams.key(name), dict[str, Any]()
    for service in PRODUCERS[name]:
        summary = f"{service} adds entries to {key}"
        sent = MANIFESTS[service].writes[name]
        found[f"{service}_sends_{name}"] = operation("send", sent, summary)
    for service in CONSUMERS[name]:
        read = MANIFESTS[service].read_of(name)
        read_types = tuple(t for t in EventType if read is not None and t in read.handlers)
        summary = f"{service} reads {key} as consumer group `{service}`"
        found[f"{service}_receives_{name}"] = operation("receive", read_types, summary)
    return found


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
