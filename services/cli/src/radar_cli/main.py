"""radar: one command for running, feeding and watching the pipeline."""

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import commands
from .arguments import Parser, port_base, positive_int, positive_seconds


def _up(sub: Any) -> None:
    from radar_schemas.topology import first_port, port_span

    up = sub.add_parser("up", help=COMMANDS["up"])
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


def _run(sub: Any) -> None:
    from .up import SERVICES

    run = sub.add_parser("run", help=COMMANDS["run"])
    run.add_argument("service", choices=SERVICES)
    run.set_defaults(run=commands.run_one)


def _replay(sub: Any) -> None:
    replay = sub.add_parser("replay", help=COMMANDS["replay"])
    replay.add_argument(
        "files", nargs="+", help="RSS/Atom/JSON Feed files, JSON lines, earnings calendars"
    )
    replay.add_argument(
        "--kind",
        choices=("auto", "feed", "jsonl", "calendar"),
        default="auto",
        help="what the files are (default auto: .jsonl is JSON lines, .csv or a JSON array"
        " a calendar, anything else a feed)",
    )
    replay.add_argument("--source", help="source name (default: the file name)")
    replay.add_argument(
        "--force",
        action="store_true",
        help="publish items again even if they were published before",
    )
    replay.add_argument(
        "--undated",
        choices=("skip", "now"),
        default="skip",
        help="news items without a date: left out (default; their time is unknown, and"
        " stamped with the time of the replay they would read as today's news), or"
        " published with the time of the replay",
    )
    replay.set_defaults(run=commands.replay)


def _alerts(sub: Any) -> None:
    alerts = sub.add_parser("alerts", help=COMMANDS["alerts"])
    tail = alerts.add_subparsers(dest="alerts", required=True).add_parser(
        "tail", help="follow the alerts stream"
    )
    tail.add_argument(
        "--from",
        dest="start",
        default="now",
        help="now (default), beginning, an ISO time (when the alert was written to the "
        "stream, not its event time), or a stream entry id",
    )
    tail.add_argument("--group", help="read as this consumer group (resumes where it left)")
    tail.add_argument("--consumer", help="consumer name within --group (default: cli)")
    tail.add_argument("--json", action="store_true", help="one JSON object per line")
    tail.add_argument("--count", type=positive_int, help="exit after this many alerts")
    tail.add_argument("--timeout", type=positive_seconds, help="exit after this many seconds")
    tail.set_defaults(run=commands.alerts_tail)


def _schema(sub: Any) -> None:
    schema = sub.add_parser("schema", help=COMMANDS["schema"]).add_subparsers(
        dest="schema", required=True
    )
    export = schema.add_parser("export", help="write a JSON Schema per message type")
    export.add_argument("directory")
    export.set_defaults(run=commands.schema_export)
    asyncapi = schema.add_parser("asyncapi", help="write the AsyncAPI document of the streams")
    asyncapi.add_argument("file", help="output path (.json)")
    asyncapi.set_defaults(run=commands.schema_asyncapi)


def _module(name: str) -> Callable[[Any], None]:
    """A command that its own module registers; the module is imported only to build it."""

    def build(sub: Any) -> None:
        importlib.import_module(f"{__package__}.{name}").register(sub)

    return build


# Every command and its one-line help, in the order ``radar --help`` lists them. The help of
# a command registered by its own module must be the one it registers (a test checks).
COMMANDS = {
    "up": "run Redis (when REDIS_URL is unset) and every service",
    "run": "run one service in the foreground",
    "replay": "publish news or earnings files into the streams",
    "alerts": "follow the alert stream (radar alerts tail)",
    "scores": "sector scores, now or at a past time",
    "digest": "the day's event cards, grouped by sector",
    "backtest": "replay history in isolation: which alerts each rule raises"
    " (and, with --prices, what followed them)",
    "silence": "mute alerts by label",
    "schema": "message contracts",
    "webhooks": "webhook endpoints",
    "feeds": "the feeds the news service polls",
    "earnings": "earnings files",
    "tag": "tag JSON lines offline (no Redis); one row out each",
}
BUILDERS: dict[str, Callable[[Any], None]] = {
    "up": _up,
    "run": _run,
    "replay": _replay,
    "alerts": _alerts,
    "scores": _module("scores"),
    "digest": _module("digest"),
    "backtest": _module("backtest_command"),
    "silence": _module("silence"),
    "schema": _schema,
    "webhooks": _module("webhooks"),
    "feeds": _module("feeds"),
    "earnings": _module("earnings"),
    "tag": _module("tag"),
}


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``radar`` parser. Given ``argv``, only the command it names is built in full (its
    module and what that imports are loaded); the others are listed by name and help, so that
    ``radar --help`` and a command's start load no more than they use. Without ``argv``,
    every command is built."""
    named = None if argv is None else next((a for a in argv if not a.startswith("-")), "")
    root = Parser(prog="radar", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    for name, build in BUILDERS.items():
        if named is None or name == named:
            build(sub)
        else:
            sub.add_parser(name, help=COMMANDS[name], add_help=False)
    return root


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _settings_error(exc: Exception) -> str | None:
    """A setting read from the environment, as one line without its value (it may be a
    secret); None when ``exc`` is not about the environment. pydantic is loaded by whatever
    raised its error, so it is not imported for every command."""
    pydantic = sys.modules.get("pydantic")
    if pydantic is None or not isinstance(exc, pydantic.ValidationError):
        return None
    if not exc.title.endswith("Settings"):  # not the environment's fault
        return None
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{exc.title}: setting {where}: {error['msg']}"


def main(argv: Sequence[str] | None = None) -> None:
    """Run a command. A user error is one line on stderr and a non-zero exit: 2 for a bad
    argument or input, 1 when Redis cannot be reached; output into a closed pipe
    (``radar scores --json | head``) ends quietly, like a killed ``cat``."""
    argv = sys.argv[1:] if argv is None else argv
    args = parser(argv).parse_args(argv)
    try:
        try:
            code = args.run(args)
        except commands.CommandError as exc:
            print(f"radar: {_one_line(str(exc))}", file=sys.stderr)
            code = exc.exit_code
        except Exception as exc:
            if (setting := _settings_error(exc)) is None:
                raise
            print(f"radar: {setting}", file=sys.stderr)
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
