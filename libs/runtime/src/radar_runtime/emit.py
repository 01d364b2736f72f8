"""Outputs of a handler, collected so that they are published together with the ack."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from radar_schemas import Envelope, EventType, encode, new_event


@dataclass
class Emitter:
    """Collects the events a handler emits for one input. Correlation and causation ids are
    carried over from the input, so an alert can be traced to the document that caused it."""

    producer: str
    correlation_id: str
    causation_id: str | None
    outputs: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def emit(
        self,
        stream: str,
        event_type: EventType,
        payload: BaseModel,
        *,
        occurred_at: datetime,
        correlation_id: str | None = None,
    ) -> Envelope[Any]:
        event = new_event(
            event_type,
            payload,
            producer=self.producer,
            correlation_id=correlation_id or self.correlation_id,
            causation_id=self.causation_id,
            occurred_at=occurred_at,
        )
        self.outputs.append((stream, encode(event)))
        return event


async def publish(redis: Any, outputs: list[tuple[str, dict[str, str]]]) -> list[str]:
    """XADD many entries in one round trip (for producers that consume nothing)."""
    if not outputs:
        return []
    async with redis.pipeline(transaction=False) as pipe:
        for stream, fields in outputs:
            pipe.xadd(stream, fields)
        ids: list[str] = await pipe.execute()
    return ids
