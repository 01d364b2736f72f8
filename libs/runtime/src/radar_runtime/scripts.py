"""Lua scripts kept in ``.lua`` files beside the code that calls them, read once per process.

Each file opens with a header that names its keys and arguments in the order Redis receives
them; a name ending in ``...`` takes the rest (a list)::

    -- KEYS: stream, seen
    -- ARGV: ttl_s, entries...
    -- RETURNS: how many entries were added

A caller passes keys and arguments by name, so no script is called with positional magic::

    ADD = LuaScript.load(__package__, "add.lua")
    add = ADD.bind(redis)
    added = await add(keys={"stream": s, "seen": k}, args={"ttl_s": 60, "entries": [...]})

A missing, unknown or misplaced name is a ``TypeError`` before anything reaches Redis.

A script that adds stream entries (its code says ``XADD``) is run only through
``Publisher.run`` (emit.py), which counts the entries it reports added: such a script returns
``cjson.encode({added = {[stream key] = count, ...}, ...})``. Calling it directly is a
``TypeError``, so no write to a stream goes uncounted.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from redis.asyncio import Redis

_HEADER = re.compile(r"^--\s*(KEYS|ARGV)\s*:\s*(.*)$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.\.\.)?$")


@dataclass(frozen=True)
class Signature:
    """The names of a script's keys or arguments; the last may be variadic (``name...``)."""

    names: tuple[str, ...]
    variadic: bool

    @classmethod
    def parse(cls, text: str, where: str) -> "Signature":
        names = tuple(n.strip() for n in text.split(",") if n.strip())
        for position, name in enumerate(names):
            if not _NAME.match(name) or (name.endswith("...") and position != len(names) - 1):
                raise ValueError(f"{where}: bad name {name!r} in the script's header")
        variadic = bool(names) and names[-1].endswith("...")
        return cls(tuple(n.removesuffix("...") for n in names), variadic)

    def flatten(self, given: Mapping[str, Any], what: str) -> list[Any]:
        """``given`` in declared order; the variadic name's value is spread out."""
        unknown = set(given) - set(self.names)
        missing = [n for n in self.names if n not in given]
        if unknown or missing:
            raise TypeError(f"{what}: missing {missing}, unknown {sorted(unknown)}")
        values = [given[n] for n in self.names]
        if not self.variadic:
            return values
        rest = values.pop()
        if isinstance(rest, str | bytes) or not isinstance(rest, Sequence):
            raise TypeError(f"{what}: {self.names[-1]!r} takes a list")
        return [*values, *rest]


@dataclass(frozen=True)
class ParsedScript:
    """One script's source and its declared keys and arguments."""

    name: str
    source: str
    keys: Signature
    args: Signature

    @property
    def publishes(self) -> bool:
        """Whether the script adds stream entries (then only Publisher.run may run it): its
        code, not its comments, says XADD."""
        code = (line for line in self.source.splitlines() if not line.lstrip().startswith("--"))
        return any("XADD" in line.upper() for line in code)

    @classmethod
    def parse(cls, name: str, source: str) -> "ParsedScript":
        found: dict[str, Signature] = {}
        for line in source.splitlines():
            if not line.startswith("--"):
                break
            match = _HEADER.match(line)
            if match:
                found[match.group(1)] = Signature.parse(match.group(2), name)
        if set(found) != {"KEYS", "ARGV"}:
            raise ValueError(f"{name}: the header must declare both KEYS and ARGV")
        return cls(name, source, found["KEYS"], found["ARGV"])

    def bind(self, redis: Redis) -> "BoundScript":
        """The script registered with ``redis`` (sent by SHA, loaded again after a restart)."""
        return BoundScript(self, redis.register_script(self.source))


@dataclass(frozen=True)
class LuaScript:
    """A ``.lua`` file in a package; read (once per process) when first bound, not at import."""

    package: str
    filename: str

    @classmethod
    def load(cls, package: str | None, filename: str) -> "LuaScript":
        if package is None:
            raise ValueError("LuaScript.load needs the calling module's package")
        return cls(package, filename)

    def parsed(self) -> ParsedScript:
        return _read(self.package, self.filename)

    def bind(self, redis: Redis) -> "BoundScript":
        return self.parsed().bind(redis)


@dataclass(frozen=True)
class BoundScript:
    """A script ready to run on one client."""

    script: ParsedScript
    _registered: Any

    async def __call__(
        self, *, keys: Mapping[str, str | Sequence[str]], args: Mapping[str, Any]
    ) -> Any:
        if self.script.publishes:
            raise TypeError(
                f"{self.script.name} adds stream entries: run it with Publisher.run, which "
                "counts them"
            )
        return await self.run_unchecked(keys=keys, args=args)

    async def run_unchecked(
        self, *, keys: Mapping[str, str | Sequence[str]], args: Mapping[str, Any]
    ) -> Any:
        """Run the script whatever it writes: for Publisher.run only."""
        name = self.script.name
        return await self._registered(
            keys=self.script.keys.flatten(keys, f"{name} keys"),
            args=self.script.args.flatten(args, f"{name} arguments"),
        )


@cache
def _read(package: str, filename: str) -> ParsedScript:
    source = resources.files(package).joinpath(filename).read_text(encoding="utf-8")
    return ParsedScript.parse(f"{package}/{filename}", source)
