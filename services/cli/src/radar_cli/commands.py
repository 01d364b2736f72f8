"""Command handlers: each turns parsed arguments into a call into the packages.

The packages are imported by the handler that needs them, not here: ``radar --help`` and
every other command would otherwise load the runtime, Redis client and services first."""

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .errors import CommandError, RedisUnavailable, require_files

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from radar_runtime import RuntimeSettings

__all__ = ["CommandError", "RedisUnavailable"]

S = TypeVar("S", bound="RuntimeSettings")


def up(args: argparse.Namespace) -> int:
    from . import connection
    from . import up as up_mod

    return up_mod.run(
        state_dir=Path(args.state_dir) if args.state_dir else connection.state_dir(),
        duration_s=args.duration,
        tail=not args.no_tail,
        http_port_base=args.http_port_base,
    )


def run_one(args: argparse.Namespace) -> int:
    import asyncio
    import runpy

    from . import connection

    # The service reads REDIS_URL itself: give it the pipeline's when the user did not.
    target = connection.target()
    if not any(os.environ.get(name) for name in connection.URL_ENV):
        os.environ["REDIS_URL"] = target.url
    asyncio.run(connection.check(target))
    runpy.run_module(f"radar_{args.service}", run_name="__main__")
    return 0


def replay(args: argparse.Namespace) -> int:
    paths = [Path(f) for f in args.files]
    require_files(paths)
    from . import connection
    from . import replay as replay_mod

    target = connection.target()

    def settings_for(cls: type[S]) -> S:
        return connection.settings(cls, target)

    async def publish(redis: "Redis") -> int:
        code, published = await replay_mod.replay(
            redis,
            settings_for,
            paths,
            args.kind,
            args.source,
            args.force,
            include_undated=args.undated == "now",
        )
        # which Redis was written: run from another directory, a replay feeds another pipeline
        if published:
            print(f"radar: published at {target.described}", file=sys.stderr)
        else:
            print(f"radar: nothing published (Redis at {target.described})", file=sys.stderr)
        return code

    return connection.run(publish, target)


def alerts_tail(args: argparse.Namespace) -> int:
    from radar_runtime import RuntimeSettings

    from . import connection
    from . import tail as tail_mod

    try:
        start = tail_mod.start_id(args.start)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if args.consumer and not args.group:
        raise CommandError("--consumer names a consumer within a --group: give --group too")
    target = connection.target()
    settings = connection.settings(RuntimeSettings, target)
    options = tail_mod.TailOptions(
        stream=settings.streams.alerts,
        start=start,
        group=args.group,
        consumer=args.consumer or "cli",
        as_json=args.json,
        count=args.count,
        timeout_s=args.timeout,
        where=target.described,
    )
    return connection.run(lambda redis: tail_mod.tail(redis, options), target)


def _write(path: Path, text: str) -> None:
    """Write a file, creating its folder; a path that cannot be written is one line."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None


def schema_export(args: argparse.Namespace) -> int:
    from radar_schemas.jsonschema import event_schemas

    directory = Path(args.directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create {directory}: {exc.strerror or exc}") from None
    schemas = event_schemas()
    for name, schema in schemas.items():
        _write(directory / f"{name}.json", json.dumps(schema, indent=2) + os.linesep)
    print(f"wrote {len(schemas)} schemas to {directory}")
    return 0


def schema_asyncapi(args: argparse.Namespace) -> int:
    from radar_runtime import RuntimeSettings
    from radar_schemas.asyncapi import asyncapi_document

    path = Path(args.file)
    document = asyncapi_document(RuntimeSettings().streams)
    _write(path, json.dumps(document, indent=2) + os.linesep)
    print(
        f"wrote {path}: {len(document['channels'])} channels, "
        f"{len(document['operations'])} operations"
    )
    return 0
