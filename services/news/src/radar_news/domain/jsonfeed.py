"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/), which feedparser does not read.

Models are lenient (unknown fields ignored, every field optional) so that a feed that
bends the spec still yields its items."""

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from pydantic import BaseModel, ConfigDict, ValidationError

from radar_schemas.jsondoc import load_json

# A JSON Feed nests four or five levels (feed, items, item, authors, author); extensions a few
# more. Far below the interpreter's recursion limit, so nothing that walks a document, from
# json itself to pydantic and repr, can hit it.


class JsonFeedItem(BaseModel):
    """One item of a JSON Feed."""

    model_config = ConfigDict(extra="ignore")

    id: str | int | None = None
    url: str | None = None
    external_url: str | None = None
    title: str | None = None
    content_html: str | None = None
    content_text: str | None = None
    summary: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    language: str | None = None


class JsonFeed(BaseModel):
    """A JSON Feed document: the fields Radar uses."""

    model_config = ConfigDict(extra="ignore")

    version: str = ""
    title: str | None = None
    home_page_url: str | None = None
    feed_url: str | None = None
    language: str | None = None
    items: list[JsonFeedItem] = []


def looks_like_json(content: bytes) -> bool:
    """True when the document starts like a JSON object (after a BOM and whitespace)."""
    return content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def parse_json_feed(content: bytes) -> JsonFeed:
    """The feed, or ValueError naming what is wrong (one line). Items that are not objects
    are skipped."""
    document = load_json(content)
    if not isinstance(document, dict):
        raise ValueError("JSON Feed must be an object")
    raw_items = document.get("items")
    document["items"] = (
        [i for i in raw_items if isinstance(i, dict)] if isinstance(raw_items, list) else []
    )
    try:
        return JsonFeed.model_validate(document)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"])
        raise ValueError(f"invalid JSON Feed: {where}: {error['msg']}") from None


def parse_date(value: str | None) -> datetime | None:
    """RFC 3339 as the spec says, or RFC 822 as some publishers write; None if neither."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
