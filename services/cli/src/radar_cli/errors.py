"""The errors a command reports as one line (``radar: …``) instead of a traceback."""

from pathlib import Path


class CommandError(Exception):
    """A user error: printed as one line, exit code 2."""

    exit_code = 2


class RedisUnavailable(CommandError):
    """Redis cannot be reached, refuses the password or fails a command: exit code 1."""

    exit_code = 1


def require_files(paths: list[Path]) -> None:
    """Stop with one line unless every path is a file: "a directory, not a file: …" tells
    what is wrong with a folder that does exist; "no such file: …" lists the missing."""
    folders = [str(p) for p in paths if p.is_dir()]
    if folders:
        raise CommandError(f"a directory, not a file: {', '.join(folders)}")
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise CommandError(f"no such file: {', '.join(missing)}")
