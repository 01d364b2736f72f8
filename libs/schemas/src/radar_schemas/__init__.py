"""Radar message schemas: the contract between services and with subscribers.

Depends on pydantic alone and does no I/O.
"""

from .alerts import AlertEvidence, AlertRaised, AlertStatus, Severity
from .base import Message
from .deadletter import DeadLettered
from .earnings import Company, EarningsReported, ReportTime
from .envelope import PAYLOAD_TYPES, SCHEMA_VERSION, Envelope, EventType, envelope_model, new_event
from .ids import event_id_time, new_event_id
from .news import DocumentKind, NewsItemIngested
from .scores import Contribution, SectorScored
from .signals import DocumentTagged, EntityTag, Evidence, Quantity, SectorTag, ThemeTag
from .streams import Streams
from .taxonomy import TAXONOMY_VERSION, THEME_SECTORS, Polarity, Sector, Theme
from .wire import UNKNOWN_PAYLOAD_FIELDS, SchemaError, decode, encode

__all__ = [
    "PAYLOAD_TYPES",
    "SCHEMA_VERSION",
    "TAXONOMY_VERSION",
    "THEME_SECTORS",
    "UNKNOWN_PAYLOAD_FIELDS",
    "AlertEvidence",
    "AlertRaised",
    "AlertStatus",
    "Company",
    "Contribution",
    "DeadLettered",
    "DocumentKind",
    "DocumentTagged",
    "EarningsReported",
    "EntityTag",
    "Envelope",
    "EventType",
    "Evidence",
    "Message",
    "NewsItemIngested",
    "Polarity",
    "Quantity",
    "ReportTime",
    "SchemaError",
    "Sector",
    "SectorScored",
    "SectorTag",
    "Severity",
    "Streams",
    "Theme",
    "ThemeTag",
    "decode",
    "encode",
    "envelope_model",
    "event_id_time",
    "new_event",
    "new_event_id",
]
