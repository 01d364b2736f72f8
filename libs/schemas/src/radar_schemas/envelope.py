"""The envelope every message travels in, and the registry of event types."""

from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import Any, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, Field, field_validator

from .alerts import AlertRaised
from .base import Ident, Label, Message
from .deadletter import DeadLettered
from .earnings import EarningsReported
from .ids import new_event_id
from .news import NewsItemIngested
from .scores import SectorScored
from .signals import DocumentTagged

SCHEMA_VERSION = 1
# The versions this code can read. A message of another version is refused, never read as if
# it were one of these: its fields may mean something else.
KNOWN_SCHEMA_VERSIONS = frozenset({SCHEMA_VERSION})


class EventType(StrEnum):
    """Every event type on Radar's streams. An unknown type is rejected."""

    NEWS_INGESTED = "news.ingested"
    NEWS_UPDATED = "news.updated"
    EARNINGS_REPORTED = "earnings.reported"
    DOCUMENT_TAGGED = "document.tagged"
    SECTOR_SCORED = "sector.scored"
    ALERT_RAISED = "alert.raised"
    DEAD_LETTERED = "message.deadlettered"


PAYLOAD_TYPES: dict[EventType, type[Message]] = {
    EventType.NEWS_INGESTED: NewsItemIngested,
    EventType.NEWS_UPDATED: NewsItemIngested,
    EventType.EARNINGS_REPORTED: EarningsReported,
    EventType.DOCUMENT_TAGGED: DocumentTagged,
    EventType.SECTOR_SCORED: SectorScored,
    EventType.ALERT_RAISED: AlertRaised,
    EventType.DEAD_LETTERED: DeadLettered,
}

P = TypeVar("P", bound=BaseModel)


class Header(Message):
    """The envelope's metadata, a model of its own so that a stream entry's header fields
    are validated apart from its payload (see wire.decode)."""

    event_id: Ident = Field(description="UUIDv7: sortable by emission time")
    event_type: EventType
    schema_version: int = Field(ge=1)
    occurred_at: AwareDatetime = Field(description="Event time: when it happened in the world")
    emitted_at: AwareDatetime = Field(description="When the producer emitted this message")
    producer: Label = Field(description="Service that emitted the message")
    correlation_id: Ident = Field(description="The originating document or report")
    causation_id: Ident | None = Field(
        default=None, description="event_id of the message that caused this one"
    )

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version not in KNOWN_SCHEMA_VERSIONS:
            known = ", ".join(str(v) for v in sorted(KNOWN_SCHEMA_VERSIONS))
            raise ValueError(f"unknown schema version {version} (this reader knows {known})")
        return version


class Envelope(Header, Generic[P]):
    """Metadata common to every event, around its payload."""

    payload: P


@cache
def envelope_model(event_type: EventType) -> type[Envelope[Any]]:
    """The concrete envelope class for one event type."""
    payload_type: Any = PAYLOAD_TYPES[event_type]
    model: type[Envelope[Any]] = Envelope[payload_type]
    return model


def new_event(
    event_type: EventType,
    payload: P,
    *,
    producer: str,
    correlation_id: str,
    occurred_at: datetime,
    causation_id: str | None = None,
) -> Envelope[P]:
    """Wrap a payload in a fresh envelope, checking that the payload fits the event type."""
    expected = PAYLOAD_TYPES[event_type]
    if not isinstance(payload, expected):
        raise TypeError(f"{event_type} carries {expected.__name__}, not {type(payload).__name__}")
    model: type[Envelope[P]] = envelope_model(event_type)
    return model(
        event_id=new_event_id(),
        event_type=event_type,
        schema_version=SCHEMA_VERSION,
        occurred_at=occurred_at,
        emitted_at=datetime.now(UTC),
        producer=producer,
        correlation_id=correlation_id,
        causation_id=causation_id,
        payload=payload,
    )
