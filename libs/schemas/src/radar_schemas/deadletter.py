"""The dead-letter record."""

from pydantic import AwareDatetime, Field

from .base import Ident, Label, Message, Text


class DeadLettered(Message):
    """A stream entry that could not be processed, kept with its error and original fields."""

    stream: Label = Field(description="Stream the entry was read from")
    group: Label
    entry_id: Label = Field(description="Redis stream entry id of the original")
    service: Label
    reason: Label = Field(description="invalid (could not be decoded) or failed (handler errors)")
    error: Text
    attempts: int = Field(ge=0)
    failed_at: AwareDatetime
    original: dict[str, Text] = Field(description="The original entry's fields, unchanged")
    original_event_id: Ident | None = None
