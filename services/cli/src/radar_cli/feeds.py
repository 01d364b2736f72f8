"""``radar feeds add|list|remove|parse``: manage the feeds file, check a feed."""

import argparse
import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from radar_news.adapters.fetch import Fetcher, FetchError, make_client
from radar_news.domain.feeds import (
    FeedConfig,
    FeedsFileError,
    add_feed,
    load_feeds,
    local_path,
    remove_feed,
)
from radar_news.domain.parse import ParsedFeed, parse_document
from radar_news.settings import NewsSettings

from .arguments import positive_seconds
from .errors import CommandError


def register(sub: Any) -> None:
    """Add the ``feeds`` command and its sub-commands to the ``radar`` parser."""
    feeds = sub.add_parser("feeds", help="the feeds the news service polls").add_subparsers(
        dest="feeds", required=True
    )
    file_help = "feeds file (default: $RADAR_FEEDS_FILE; list falls back to the bundled sample)"
    add = feeds.add_parser("add", help="add a feed to the feeds file")
    add.add_argument("name")
    add.add_argument("url", help="http(s) URL or local path")
    add.add_argument("--interval", type=float, default=300.0, help="poll interval in seconds")
    add.add_argument("--credibility", type=float, default=0.7, help="0 to 1")
    add.add_argument("--language", help="e.g. en, de (default: what the feed says)")
    add.add_argument("--file", help=file_help)
    add.set_defaults(run=_add)
    listing = feeds.add_parser("list", help="list the configured feeds")
    listing.add_argument("--file", help=file_help)
    listing.set_defaults(run=_list)
    remove = feeds.add_parser("remove", help="remove a feed by name")
    remove.add_argument("name")
    remove.add_argument("--file", help=file_help)
    remove.set_defaults(run=_remove)
    parse = feeds.add_parser("parse", help="print a feed's normalised items as JSON lines")
    parse.add_argument("source", help="a feed file or an http(s) URL")
    parse.add_argument("--name", help="source name for the items (default: the file name)")
    parse.add_argument("--language", help="language when the feed does not say")
    parse.add_argument(
        "--timeout", type=positive_seconds, default=20.0, help="fetch deadline, seconds"
    )
    parse.set_defaults(run=_parse)


def feeds_file(chosen: str | None = None) -> Path | None:
    """The feeds file named (``--file``, else ``$RADAR_FEEDS_FILE``), None when none is."""
    chosen = chosen or os.environ.get("RADAR_FEEDS_FILE")
    return Path(chosen) if chosen else None


def read_feeds_file(chosen: str | None = None) -> Path:
    """The feeds file to read: the one named, else the bundled sample's."""
    return feeds_file(chosen) or NewsSettings.model_fields["feeds_file"].default


def _file(args: argparse.Namespace, *, editing: bool) -> Path:
    if not editing:
        return read_feeds_file(args.file)
    named = feeds_file(args.file)
    if named is None:  # the bundled sample is part of the installed package: never edited
        raise CommandError("say which feeds file to edit: --file PATH or RADAR_FEEDS_FILE")
    return named


# The options of ``feeds add`` by the field they set, for one-line errors.
_OPTIONS = {
    "name": "NAME",
    "url": "URL",
    "poll_interval_s": "--interval",
    "credibility": "--credibility",
    "language": "--language",
}


def feed_location(value: str) -> str:
    """An http(s) URL as given, or an existing local file as an absolute path (the news
    service resolves relative paths against the feeds file's folder, not the user's). Raises
    CommandError naming the value otherwise."""
    if "://" in value and not value.lower().startswith("file://"):
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError when out of range
        except ValueError as exc:
            raise CommandError(f"not a usable URL: {value} ({exc})") from None
        if parts.scheme.lower() not in ("http", "https"):
            raise CommandError(f"not an http(s) URL or a local file: {value}")
        if not parts.hostname:
            raise CommandError(f"a URL without a host: {value}")
        if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
            raise CommandError(f"a URL with spaces or control characters: {value}")
        return value
    path = Path(value[len("file://") :] if value.lower().startswith("file://") else value)
    try:
        resolved = path.expanduser().resolve()
        is_file = resolved.is_file()
    except (OSError, RuntimeError):
        is_file = False
    if not is_file:
        raise CommandError(f"no such file (nor an http(s) URL): {value}")
    return str(resolved)


def _add(args: argparse.Namespace) -> int:
    try:
        feed = FeedConfig(
            name=args.name,
            url=args.url,
            poll_interval_s=args.interval,
            credibility=args.credibility,
            language=args.language,
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else ""
        raise CommandError(f"{_OPTIONS.get(field, field)}: {error['msg']}") from None
    feed = feed.model_copy(update={"url": feed_location(args.url)})
    try:
        add_feed(_file(args, editing=True), feed)
    except FeedsFileError as exc:
        raise CommandError(str(exc)) from exc
    return 0


def _list(args: argparse.Namespace) -> int:
    try:
        feeds = load_feeds(_file(args, editing=False))
    except FeedsFileError as exc:
        raise CommandError(str(exc)) from exc
    for feed in feeds:
        language = feed.language or "-"
        print(
            f"{feed.name}\t{feed.url}\t{feed.poll_interval_s:g}s\t{feed.credibility:g}\t{language}"
        )
    return 0


def _remove(args: argparse.Namespace) -> int:
    try:
        remove_feed(_file(args, editing=True), args.name)
    except FeedsFileError as exc:
        raise CommandError(str(exc)) from exc
    return 0


def _parse(args: argparse.Namespace) -> int:
    source: str = args.source
    feed_location(source)  # a local path that is no file: say so before fetching
    # A file the feeds file polls is read as `radar up` reads it: its name, credibility and
    # language, unless given here.
    configured = configured_feed(Path(source)) if "://" not in source else None
    base = configured or FeedConfig(
        name=(Path(source).stem if "://" not in source else "feed")[:128], url=source
    )
    feed = base.model_copy(
        update={
            "url": source,
            "name": (args.name or base.name)[:128],
            "language": args.language or base.language,
        }
    )
    result = asyncio.run(_fetch_and_parse(feed, args.timeout))
    for problem in result.problems:
        print(f"radar: {source}: {problem}", file=sys.stderr)
    for item in result.items:
        print(item.model_dump_json())
    return 2 if result.problems and not result.items else 0  # nothing read: a bad input


async def _fetch_and_parse(feed: FeedConfig, timeout_s: float) -> ParsedFeed:
    settings = NewsSettings()
    async with make_client(settings.user_agent, timeout_s) as client:
        try:
            fetched = await Fetcher(client, timeout_s, settings.max_feed_bytes).fetch(feed.url)
        except FetchError as exc:
            raise CommandError(f"{feed.url}: {exc}") from exc
    base_url = fetched.url if "://" in fetched.url else None
    return parse_document(fetched.read() or b"", feed, datetime.now(UTC), base_url)


def configured_feed(path: Path) -> FeedConfig | None:
    """The feed the feeds file (``$RADAR_FEEDS_FILE``, else the bundled sample's) configures
    at this path, if any: a replay of it reads it with the credibility ``radar up`` polls it
    with."""
    try:
        feeds = load_feeds(read_feeds_file())
        target = path.resolve()
    except (FeedsFileError, OSError, RuntimeError):
        return None  # no feeds file to read: the defaults
    for feed in feeds:
        local = local_path(feed.url)
        if local is not None and local.resolve() == target:
            return feed
    return None
