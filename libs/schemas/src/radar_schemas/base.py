"""The strict base model and the bounded field types every message uses."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Limits are generous for real documents and small enough that one message cannot
# exhaust a consumer. A longer field is rejected, naming the field, never truncated silently.
MAX_ID_CHARS = 256
MAX_TITLE_CHARS = 1_000
MAX_TEXT_CHARS = 200_000
MAX_URL_CHARS = 2_048

Ident = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_CHARS)]
Title = Annotated[str, StringConstraints(max_length=MAX_TITLE_CHARS)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]
Url = Annotated[str, StringConstraints(max_length=MAX_URL_CHARS)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=128)]
UnitInterval = Annotated[float, Field(ge=0.0, le=1.0)]


class Message(BaseModel):
    """Base of every message model: strict types, no unknown fields, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
