"""The ``radar`` parser builds only the command it runs: ``radar --help`` lists every command
without loading the packages behind them, and lists each with the help it registers."""

import argparse
import subprocess
import sys

import pytest

from radar_cli.main import COMMANDS, parser

# Loaded by the runtime, the Redis client and the services: none is needed to print help.
HEAVY = ("redis", "radar_runtime", "radar_news", "radar_earnings", "radar_tagger", "numpy")


def _helps(root: argparse.ArgumentParser) -> dict[str, str | None]:
    (sub,) = (a for a in root._actions if isinstance(a, argparse._SubParsersAction))
    return {action.dest: action.help for action in sub._choices_actions}


def test_every_command_is_listed_with_the_help_its_module_registers() -> None:
    assert _helps(parser()) == COMMANDS
    assert _helps(parser(["--help"])) == COMMANDS


def test_help_loads_none_of_the_packages_behind_the_commands() -> None:
    probe = (
        "import sys, contextlib, io\n"
        "from radar_cli.main import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert "radar_cli" in loaded
    assert not set(HEAVY) & set(loaded)


def test_the_named_command_is_built_in_full() -> None:
    args = parser(["replay", "--force", "a.jsonl"]).parse_args(["replay", "--force", "a.jsonl"])
    assert (args.command, args.force, args.files, args.kind) == (
        "replay",
        True,
        ["a.jsonl"],
        "auto",
    )
    scores = parser(["scores", "--json"]).parse_args(["scores", "--json"])
    assert scores.json and callable(scores.run)


def test_a_group_without_its_subcommand_lists_the_subcommands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv, listed in ((["alerts"], "tail"), (["feeds"], "add, list, remove, parse")):
        try:
            parser(argv).parse_args(argv)
        except SystemExit as exited:
            assert exited.code == 2
        err = capsys.readouterr().err
        assert err == (
            f"radar {argv[0]}: which subcommand? one of: {listed} (see radar {argv[0]} --help)\n"
        )
