"""The errors a command reports as one line (``radar: …``) instead of a traceback."""


class CommandError(Exception):
    """A user error: printed as one line, exit code 2."""

    exit_code = 2


class RedisUnavailable(CommandError):
    """Redis cannot be reached, refuses the password or fails a command: exit code 1."""

    exit_code = 1
