"""``radar``: one command for running, feeding and watching the pipeline."""

import argparse
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from radar_schemas.topology import first_port, port_span

from . import backtest_command as backtest_cli
from . import commands, earnings, feeds, tag, webhooks
from . import digest as digest_cli
from . import scores as scores_cli
from . import silence as silence_cli
from .arguments import Parser, port_base, positive_int, positive_seconds
from .up import SERVICES


def parser() -> argparse.ArgumentParser:
    root = Parser(prog="radar", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)

    up = sub.add_parser("up", help="run Redis (when REDIS_URL is unset) and every service")
    up.add_argument(
        "--state-dir",
        help="data, logs and the Redis URL other commands use"
        " (default: $RADAR_STATE_DIR, else .radar)",
    )
    up.add_argument("--duration", type=positive_seconds, help="stop after this many seconds")
    up.add_argument("--no-tail", action="store_true", help="do not print alerts")
    up.add_argument(
        "--http-port-base",
        type=port_base(port_span()),
        default=first_port(),
        help="the lowest of the ports the services declare; the others follow it"
        " (default %(default)s: the declared ports; 0: free ports)",
    )
    up.set_defaults(run=commands.up)

    run = sub.add_parser("run", help="run one service in the foreground")
    run.add_argument("service", choices=SERVICES)
    run.set_defaults(run=commands.run_one)

    replay = sub.add_parser("replay", help="publish news or earnings files into the streams")
    replay.add_argument("files", nargs="+")
    replay.add_argument("--kind", choices=("auto", "feed", "jsonl", "calendar"), default="auto")
    replay.add_argument("--source", help="source name (default: the file name)")
    replay.add_argument(
        "--force",
        action="store_true",
        help="publish items again even if they were published before",
    )
    replay.set_defaults(run=commands.replay)

    alerts = sub.add_parser("alerts", help="alerts").add_subparsers(dest="alerts", required=True)
    tail = alerts.add_parser("tail", help="follow the alerts stream")
    tail.add_argument(
        "--from",
        dest="start",
        default="now",
        help="now (default), beginning, an ISO time, or a stream entry id",
    )
    tail.add_argument("--group", help="read as this consumer group (resumes where it left)")
    tail.add_argument("--consumer", default="cli", help="consumer name within --group")
    tail.add_argument("--json", action="store_true", help="one JSON object per line")
    tail.add_argument("--count", type=positive_int, help="exit after this many alerts")
    tail.add_argument("--timeout", type=positive_seconds, help="exit after this many seconds")
    tail.set_defaults(run=commands.alerts_tail)

    scores_cli.register(sub)
    digest_cli.register(sub)
    backtest_cli.register(sub)
    silence_cli.register(sub)

    schema = sub.add_parser("schema", help="message contracts").add_subparsers(
        dest="schema", required=True
    )
    export = schema.add_parser("export", help="write a JSON Schema per message type")
    export.add_argument("directory")
    export.set_defaults(run=commands.schema_export)
    asyncapi = schema.add_parser("asyncapi", help="write the AsyncAPI document of the streams")
    asyncapi.add_argument("file", help="output path (.json)")
    asyncapi.set_defaults(run=commands.schema_asyncapi)
    webhooks.register(sub)
    feeds.register(sub)
    earnings.register(sub)
    tag.register(sub)
    return root


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _settings_error(exc: ValidationError) -> str:
    """A setting read from the environment, as one line without its value (it may be a
    secret)."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{exc.title}: setting {where}: {error['msg']}"


def main(argv: Sequence[str] | None = None) -> None:
    """Run a command. A user error is one line on stderr and a non-zero exit: 2 for a bad
    argument or input, 1 when Redis cannot be reached; output into a closed pipe
    (``radar scores --json | head``) ends quietly, like a killed ``cat``."""
    args = parser().parse_args(argv)
    try:
        try:
            code = args.run(args)
        except commands.CommandError as exc:
            print(f"radar: {_one_line(str(exc))}", file=sys.stderr)
            code = exc.exit_code
        except ValidationError as exc:
            if not exc.title.endswith("Settings"):  # not the environment's fault
                raise
            print(f"radar: {_settings_error(exc)}", file=sys.stderr)
            code = 2
        except KeyboardInterrupt:
            code = 130
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except BrokenPipeError:
        # Nothing more can be written; point stdout at /dev/null so that the flush at exit
        # does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 128 + 13  # as if killed by SIGPIPE
    sys.exit(code or 0)


if __name__ == "__main__":
    main()
