"""``radar up`` (``make run``): records the Redis it uses so that every other command finds it,
runs its own Redis locked down, and fails loudly when the pipeline cannot run (issue 16,
items 8 and 9)."""

import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from ..support.processes import ROOT, service_env
from .test_hardening_cli_redis import one_line_error, radar, without_redis_url

UP = [sys.executable, "-m", "radar_cli.main", "up"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_up_with_an_unreachable_redis_fails_at_once(prefix: str, tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        env = service_env(f"redis://:pw-up@127.0.0.1:{port}/0", prefix)
        args = ["up", "--state-dir", str(tmp_path / "state"), "--http-port-base", "0"]
        result = radar(env, *args, "--duration", "30", "--no-tail")
    one_line_error(result, f"Redis unreachable at redis://127.0.0.1:{port}/0")
    assert "pw-up" not in result.stderr + result.stdout
    assert not (tmp_path / "state" / "logs").exists()  # no service was started


@contextmanager
def port_taken_before_free_ones(free: int) -> Iterator[int]:
    """A local port held by a listening socket, followed by ``free`` ports nobody holds."""
    for _ in range(50):
        holder = socket.socket()
        holder.bind(("127.0.0.1", 0))
        base = int(holder.getsockname()[1])
        try:
            for offset in range(1, free + 1):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", base + offset))
        except OSError:
            holder.close()
            continue
        holder.listen()
        with holder:
            yield base
        return
    raise AssertionError("no block of free ports")


def test_up_reports_a_service_that_cannot_start_and_exits_non_zero(
    redis_url: str, prefix: str, tmp_path: Path
) -> None:
    """A port clash: news cannot bind its HTTP port, exits at once on every start."""
    with port_taken_before_free_ones(5) as base:
        result = subprocess.run(
            [*UP, "--state-dir", str(tmp_path), "--http-port-base", str(base), "--no-tail"],
            env=service_env(redis_url, prefix),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,  # hang guard: the code before this change restarted news forever
            check=False,
        )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "using the Redis at redis://" in result.stderr  # the one REDIS_URL named
    assert "(URL from REDIS_URL)" in result.stderr
    cannot = [line for line in result.stderr.splitlines() if "cannot start" in line]
    assert len(cannot) == 1 and "news cannot start" in cannot[0], result.stderr
    assert "address already in use" in cannot[0].lower()  # the cause, from its log
    assert "stopped:" in result.stderr  # the other services were stopped in order


@pytest.fixture
def up_embedded(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """``radar up`` as ``make run`` runs it: no REDIS_URL, state in ./.radar."""
    with (tmp_path / "up.err").open("w") as err:
        process = subprocess.Popen(
            [*UP, "--http-port-base", "0", "--no-tail"],
            env=without_redis_url(),
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
        )
    try:
        yield process, tmp_path
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for_file(path: Path, process: subprocess.Popen[str], log: Path) -> None:
    for _ in range(600):  # hang guard: 60 s
        if path.exists():
            return
        assert process.poll() is None, log.read_text()
        time.sleep(0.1)
    raise AssertionError(f"{path} never appeared: {log.read_text()}")


def test_up_records_a_password_protected_loopback_redis_that_other_commands_find(
    up_embedded: tuple[subprocess.Popen[str], Path],
) -> None:
    process, cwd = up_embedded
    state = cwd / ".radar"
    wait_for_file(state / "redis.url", process, cwd / "up.err")
    url = (state / "redis.url").read_text().strip()
    password = (state / "redis.password").read_text().strip()
    assert len(password) >= 32 and f":{password}@127.0.0.1:" in url
    assert mode(state / "redis.url") == 0o600 and mode(state / "redis.password") == 0o600
    assert mode(state / "redis") == 0o700

    client = redis.Redis.from_url(url)
    try:
        assert client.config_get("bind")["bind"] in ("127.0.0.1", "127.0.0.1 -::1")
        port = client.connection_pool.connection_kwargs["port"]
    finally:
        client.close()
    anonymous = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
    with pytest.raises(redis.AuthenticationError):
        anonymous.ping()
    anonymous.close()

    # A second terminal: no REDIS_URL, same directory.
    env = without_redis_url()
    added = radar(env, "silence", "add", "sector=gaming", "--comment", "second terminal", cwd=cwd)
    assert added.returncode == 0, added.stderr
    listed = radar(env, "silence", "list", cwd=cwd)
    assert "second terminal" in listed.stdout, listed.stderr

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=90) == 0, (cwd / "up.err").read_text()
    logged = (cwd / "up.err").read_text()
    logged += "".join(p.read_text(errors="replace") for p in (state / "logs").glob("*.log"))
    logged += (state / "redis" / "redis.log").read_text(errors="replace")
    assert password not in logged
    for path in (state / "redis").rglob("*"):
        assert mode(path) & 0o077 == 0, f"{path} is readable by others: {oct(mode(path))}"

    # After the stop, the record still says which Redis the pipeline uses: a command fails
    # naming it (instead of quietly reading some other Redis on the default port).
    again = radar(env, "silence", "list", cwd=cwd)
    one_line_error(again, f"Redis unreachable at redis://127.0.0.1:{port}/0", "radar up")
    assert password not in again.stderr
