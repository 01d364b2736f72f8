"""Feed configuration: the YAML file users edit."""

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class FeedConfig(BaseModel):
    """One feed to poll."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=128)
    url: str = Field(min_length=1, description="http(s) URL, or a local path")
    poll_interval_s: float = Field(default=300.0, ge=1.0)
    credibility: float = Field(default=0.7, ge=0.0, le=1.0)
    language: str | None = None


class FeedsFileError(ValueError):
    """The feeds file is missing or invalid; the message says where."""


def local_path(url: str) -> Path | None:
    """The file a feed's URL names (``file://`` or a bare path), None for a remote one."""
    if "://" not in url or url.startswith("file://"):
        return Path(url.removeprefix("file://"))
    return None


def load_feeds(path: Path) -> list[FeedConfig]:
    """Feeds from a YAML file ``feeds: [{name, url, ...}]``. Relative local paths are
    resolved against the file's folder."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise FeedsFileError(f"{path}: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("feeds") or [], list):
        raise FeedsFileError(f"{path}: expected a mapping with a list under 'feeds:'")
    feeds = []
    for index, raw in enumerate(document.get("feeds") or []):
        try:
            feed = FeedConfig.model_validate(raw)
        except ValidationError as exc:
            raise FeedsFileError(f"{path}: feeds[{index}]: {exc}") from exc
        if "://" not in feed.url and not Path(feed.url).is_absolute():
            feed = feed.model_copy(update={"url": str(path.parent / feed.url)})
        feeds.append(feed)
    return feeds


def _read_document(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"feeds": []}
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise FeedsFileError(f"{path}: {exc}") from exc
    if not isinstance(document, dict):
        raise FeedsFileError(f"{path}: expected a mapping with a 'feeds' list")
    document.setdefault("feeds", [])
    return document


def _write_document(path: Path, document: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")


def add_feed(path: Path, feed: FeedConfig) -> None:
    """Append ``feed`` to the file (created if missing); names must stay unique."""
    document = _read_document(path)
    if any(raw.get("name") == feed.name for raw in document["feeds"]):
        raise FeedsFileError(f"{path}: a feed named {feed.name!r} exists already")
    document["feeds"].append(feed.model_dump(exclude_none=True))
    _write_document(path, document)


def remove_feed(path: Path, name: str) -> None:
    """Remove the feed named ``name`` from the file."""
    document = _read_document(path)
    kept = [raw for raw in document["feeds"] if raw.get("name") != name]
    if len(kept) == len(document["feeds"]):
        raise FeedsFileError(f"{path}: no feed named {name!r}")
    document["feeds"] = kept
    _write_document(path, document)
