"""Lua scripts in .lua files: every header parses, and names reach Redis in declared order."""

from pathlib import Path

import pytest
from redis.asyncio import Redis

from radar_runtime.scripts import LuaScript, ParsedScript

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(p for p in (ROOT / "libs").rglob("*.lua")) + sorted(
    p for p in (ROOT / "services").rglob("*.lua")
)

ECHO = """-- KEYS: first, rest...
-- ARGV: count, items...
-- RETURNS: the keys, then the arguments, as Redis received them
local out = {}
for _, k in ipairs(KEYS) do table.insert(out, k) end
for _, a in ipairs(ARGV) do table.insert(out, a) end
return out
"""


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_every_script_in_the_tree_declares_its_keys_and_arguments(path: Path) -> None:
    parsed = ParsedScript.parse(path.name, path.read_text(encoding="utf-8"))
    assert parsed.keys.names and parsed.args.names


def test_the_commit_script_is_found_in_its_package() -> None:
    commit = LuaScript.load("radar_runtime", "commit.lua").parsed()
    assert commit.keys.names == ("input", "errors", "outputs") and commit.keys.variadic


async def test_names_are_passed_in_declared_order_and_the_rest_spread(
    redis: Redis, prefix: str
) -> None:
    bound = ParsedScript.parse("echo.lua", ECHO).bind(redis)
    keys = {"rest": [f"{prefix}:b", f"{prefix}:c"], "first": f"{prefix}:a"}
    reply = await bound(keys=keys, args={"items": ["x", "y"], "count": 2})
    assert reply == [
        *(f"{prefix}:{k}" for k in "abc"),
        *("2", "x", "y"),
    ]


@pytest.mark.parametrize(
    ("keys", "args"),
    [
        ({"first": "a"}, {"count": 1, "items": []}),  # a key missing
        ({"first": "a", "rest": [], "extra": "z"}, {"count": 1, "items": []}),  # unknown key
        ({"first": "a", "rest": []}, {"count": 1, "items": "xy"}),  # the rest is not a list
    ],
)
async def test_a_wrong_name_fails_before_reaching_redis(
    redis: Redis, keys: dict[str, object], args: dict[str, object]
) -> None:
    bound = ParsedScript.parse("echo.lua", ECHO).bind(redis)
    with pytest.raises(TypeError):
        await bound(keys=keys, args=args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "header",
    ["-- KEYS: a\n", "-- ARGV: a\n", "-- KEYS: a..., b\n-- ARGV: c\n", "-- KEYS: A\n-- ARGV: c\n"],
)
def test_a_bad_header_is_refused(header: str) -> None:
    with pytest.raises(ValueError):
        ParsedScript.parse("bad.lua", header + "return 1\n")
