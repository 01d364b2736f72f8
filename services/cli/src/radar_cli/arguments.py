"""Argument types for the ``radar`` parser: a bad value is refused by argparse, as one line
naming the option, before anything runs."""

import argparse
import math
from collections.abc import Callable
from typing import NoReturn

MAX_PORT = 65_535


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage block), exit code 2."""

    def error(self, message: str) -> NoReturn:
        # "radar alerts" alone: argparse names the missing subcommand by its destination
        # ("required: alerts"); say which subcommands there are instead.
        for action in self._subparsers._group_actions if self._subparsers else []:
            choices = getattr(action, "choices", None)
            if choices and message == f"the following arguments are required: {action.dest}":
                message = f"which subcommand? one of: {', '.join(choices)}"
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"not a finite number: {value!r}")
    return number


def positive_int(value: str) -> int:
    """A whole number ≥ 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def positive_seconds(value: str) -> float:
    """A finite number of seconds > 0."""
    number = _number(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {value}")
    return number


def non_negative_hours(value: str) -> float:
    """A finite number of hours ≥ 0."""
    number = _number(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more hours, not {value}")
    return number


def port_base(services: int) -> Callable[[str], int]:
    """0 (free ports), or a port such that the ``services`` ports from it all exist."""

    def check(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
        highest = MAX_PORT - services + 1
        if number != 0 and not 1 <= number <= highest:
            raise argparse.ArgumentTypeError(
                f"must be 0 (free ports) or 1 to {highest} ({services} ports from it)"
            )
        return number

    return check
