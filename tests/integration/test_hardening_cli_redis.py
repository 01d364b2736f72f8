"""Every ``radar`` command finds the Redis it should use and, when that Redis is down or
refuses the password, fails with one line naming the problem and a non-zero exit (issue 16,
item 8). "Redis down" is a local port bound but not listening: connections are refused."""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from radar_runtime import EmbeddedRedis
from radar_runtime.embedded_redis import free_port
from radar_schemas import Streams

from ..support.processes import ROOT, service_env

FIXTURES = Path(__file__).parents[1] / "fixtures"


def radar(
    env: dict[str, str], *args: str, cwd: Path = ROOT, timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    """``radar ARGS`` as a real process; the timeout only guards against a hang."""
    return subprocess.run(
        [sys.executable, "-m", "radar_cli.main", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The single stderr line of a failed command, checked to contain every needle."""
    assert result.returncode != 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def without_redis_url(**extra: str) -> dict[str, str]:
    """The test environment with no REDIS_URL and no RADAR_ settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "RADAR_REDIS_URL") and not k.startswith("RADAR_")
    }
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A local port that refuses connections: bound (so nothing else takes it), not listening."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def locked_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """A real redis-server that wants a password: (port, password)."""
    password = "the-right-password-0123456789"
    embedded = EmbeddedRedis(tmp_path_factory.mktemp("locked"), password=password)
    embedded.start()
    try:
        yield embedded.port, password
    finally:
        embedded.stop()


REDIS_COMMANDS = [
    ("scores",),
    ("scores", "--json"),
    ("silence", "list"),
    ("silence", "add", "sector=gaming"),
    ("silence", "expire", "nope"),
    ("replay", str(FIXTURES / "eval/dev.jsonl")),
    ("alerts", "tail", "--timeout", "3"),
    ("alerts", "tail", "--group", "desk", "--count", "1"),
    ("webhooks", "list"),
    ("webhooks", "remove", "nope"),
]


@pytest.mark.parametrize("args", REDIS_COMMANDS, ids=" ".join)
def test_redis_down_is_one_line_naming_the_url(
    args: tuple[str, ...], closed_port: int, prefix: str
) -> None:
    env = service_env(f"redis://:hunter2-secret@127.0.0.1:{closed_port}/0", prefix)
    result = radar(env, *args)
    line = one_line_error(result, f"Redis unreachable at redis://127.0.0.1:{closed_port}/0")
    assert "REDIS_URL" in line  # where the URL came from
    assert "hunter2-secret" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "args", [("scores",), ("silence", "list"), ("webhooks", "list")], ids=" ".join
)
def test_wrong_or_missing_password_is_one_line(
    args: tuple[str, ...], locked_redis: tuple[int, str], prefix: str
) -> None:
    port, _ = locked_redis
    for url in (f"redis://:wrong-guess@127.0.0.1:{port}/0", f"redis://127.0.0.1:{port}/0"):
        result = radar(service_env(url, prefix), *args)
        one_line_error(result, "authentication refused", f"redis://127.0.0.1:{port}/0")
        assert "wrong-guess" not in result.stderr


def test_the_right_password_works(locked_redis: tuple[int, str], prefix: str) -> None:
    port, password = locked_redis
    env = service_env(f"redis://:{password}@127.0.0.1:{port}/0", prefix)
    result = radar(env, "scores")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "no scores yet"
    at_a_time = radar(env, "scores", "--at", "2026-11-20")  # the table's head, then why empty
    assert at_a_time.returncode == 0 and at_a_time.stdout.strip().endswith("no scores yet")
    # which Redis held nothing, and why that one: password never shown
    assert f"read the scores at redis://127.0.0.1:{port}/0 (URL from REDIS_URL)" in result.stderr
    assert password not in result.stderr
    # empty lists say so on stderr and print nothing a script would read
    for args, note in ((("silence", "list"), "no silences"), (("webhooks", "list"), "no webhook")):
        empty = radar(env, *args)
        assert (empty.returncode, empty.stdout) == (0, ""), empty.stderr
        assert note in empty.stderr


def test_a_url_that_is_not_a_redis_url_is_one_line(prefix: str) -> None:
    result = radar(service_env("http://:pw-in-url@127.0.0.1:1/", prefix), "silence", "list")
    one_line_error(result, "REDIS_URL")
    assert "pw-in-url" not in result.stderr
    # a value with no scheme is shown as typed, after any "…@" (it may hold a password)
    typed = radar(service_env("notaurl", prefix), "silence", "list")
    one_line_error(typed, "not a Redis URL")
    assert "): notaurl (" in typed.stderr and "://notaurl" not in typed.stderr
    secret = radar(service_env("user:hunter2@localhost", prefix), "silence", "list")
    assert "hunter2" not in secret.stderr and "localhost" in secret.stderr


def record(state_dir: Path, url: str) -> None:
    """What ``radar up`` leaves in its state directory."""
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / "redis.url").write_text(url + "\n")
    (state_dir / "redis.url").chmod(0o600)


async def test_commands_use_the_url_radar_up_recorded_when_redis_url_is_unset(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    record(tmp_path / ".radar", redis_url)
    env = without_redis_url(RADAR_STREAM_PREFIX=streams.prefix)
    added = radar(env, "silence", "add", "sector=gaming", "--comment", "recorded", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert await redis.hlen(f"{streams.prefix}:silences") == 1
    listed = radar(env, "silence", "list", "--json", cwd=tmp_path)
    assert [s["comment"] for s in json.loads(listed.stdout)] == ["recorded"]
    # where the data went, without the question a failure asks ("is radar up running?")
    empty = radar(env, "scores", cwd=tmp_path)
    assert "(URL recorded by radar up in .radar/redis.url)" in empty.stderr, empty.stderr
    assert "running?" not in empty.stderr

    # Another state directory, by RADAR_STATE_DIR, from anywhere.
    record(tmp_path / "elsewhere", redis_url)
    elsewhere = {**env, "RADAR_STATE_DIR": str(tmp_path / "elsewhere")}
    assert radar(elsewhere, "silence", "list", "--json", cwd=ROOT).returncode == 0


def test_a_stale_record_names_where_the_url_came_from(tmp_path: Path, closed_port: int) -> None:
    record(tmp_path / ".radar", f"redis://:pw-recorded@127.0.0.1:{closed_port}/0")
    result = radar(without_redis_url(), "scores", cwd=tmp_path)
    one_line_error(result, f"unreachable at redis://127.0.0.1:{closed_port}/0", "redis.url")
    assert "is radar up running?" in result.stderr
    assert "pw-recorded" not in result.stderr


def test_redis_url_wins_over_the_record(
    redis_url: str, prefix: str, tmp_path: Path, closed_port: int
) -> None:
    record(tmp_path / ".radar", f"redis://127.0.0.1:{closed_port}/0")
    result = radar(service_env(redis_url, prefix), "silence", "list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


async def test_radar_run_uses_the_recorded_url(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    """``radar run tagger`` in a second terminal joins the pipeline ``radar up`` started: its
    consumer group appears in that Redis."""
    record(tmp_path / ".radar", redis_url)
    port = free_port()
    env = without_redis_url(RADAR_STREAM_PREFIX=streams.prefix, RADAR_HTTP_PORT=str(port))
    with (tmp_path / "tagger.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "radar_cli.main", "run", "tagger"],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        ready = False
        for _ in range(600):  # hang guard: 60 s
            assert process.poll() is None, (tmp_path / "tagger.log").read_text()
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200
            except httpx.HTTPError:
                ready = False
            if ready:
                break
            await asyncio.sleep(0.1)
        assert ready, (tmp_path / "tagger.log").read_text()
        groups = await redis.xinfo_groups(streams.news)
        assert [g["name"] for g in groups] == ["tagger"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
