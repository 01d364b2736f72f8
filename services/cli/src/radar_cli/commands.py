"""Command handlers: each turns parsed arguments into a call into the packages."""

import argparse
import asyncio
import json
import os
import runpy
from pathlib import Path

from radar_runtime import RuntimeSettings, connect
from radar_schemas.asyncapi import asyncapi_document
from radar_schemas.jsonschema import event_schemas

from . import replay as replay_mod
from . import tail as tail_mod
from . import up as up_mod


class CommandError(Exception):
    """A user error: printed as one line, exit code 2."""


def up(args: argparse.Namespace) -> int:
    return up_mod.run(
        state_dir=Path(args.state_dir),
        duration_s=args.duration,
        tail=not args.no_tail,
        http_port_base=args.http_port_base,
    )


def run_one(args: argparse.Namespace) -> int:
    runpy.run_module(f"radar_{args.service}", run_name="__main__")
    return 0


def replay(args: argparse.Namespace) -> int:
    settings = RuntimeSettings()
    paths = [Path(f) for f in args.files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise CommandError(f"no such file: {', '.join(missing)}")
    return asyncio.run(replay_mod.replay(settings, paths, args.kind, args.source, args.force))


def alerts_tail(args: argparse.Namespace) -> int:
    settings = RuntimeSettings()
    try:
        start = tail_mod.start_id(args.start)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    redis = connect(settings.redis_url.get_secret_value())
    options = tail_mod.TailOptions(
        stream=settings.streams.alerts,
        start=start,
        group=args.group,
        consumer=args.consumer,
        as_json=args.json,
        count=args.count,
        timeout_s=args.timeout,
    )
    return asyncio.run(tail_mod.tail(redis, options))


def schema_export(args: argparse.Namespace) -> int:
    directory = Path(args.directory)
    directory.mkdir(parents=True, exist_ok=True)
    schemas = event_schemas()
    for name, schema in schemas.items():
        (directory / f"{name}.json").write_text(json.dumps(schema, indent=2) + os.linesep)
    print(f"wrote {len(schemas)} schemas to {directory}")
    return 0


def schema_asyncapi(args: argparse.Namespace) -> int:
    path = Path(args.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = asyncapi_document(RuntimeSettings().streams)
    path.write_text(json.dumps(document, indent=2) + os.linesep)
    print(
        f"wrote {path}: {len(document['channels'])} channels, "
        f"{len(document['operations'])} operations"
    )
    return 0
