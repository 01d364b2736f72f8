"""``radar up``: Redis when needed, every service as a supervised child, alerts on the console.

Without REDIS_URL it runs its own Redis: on loopback, with a password generated once and kept
in the state directory (``redis.password``, mode 0600), data in ``redis/`` (mode 0700). Either
way it records the Redis URL in ``redis.url`` (mode 0600) there, which every other ``radar``
command reads when REDIS_URL is unset. It stops, exit 1, when a service cannot start."""

import asyncio
import contextlib
import fcntl
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from radar_runtime import EmbeddedRedis, RuntimeSettings
from radar_runtime.embedded_redis import EmbeddedRedisError, new_password, write_private
from radar_runtime.supervisor import ChildSpec, Supervisor
from radar_schemas import SchemaError, decode
from radar_schemas.topology import MANIFESTS, first_port

from . import connection
from .errors import CommandError
from .tail import TailOptions, render, tail

SERVICES = tuple(MANIFESTS)
LOCK_FILE = "up.lock"
_PASSWORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def say(line: str) -> None:
    print(f"radar: {line}", file=sys.stderr, flush=True)


def http_ports(http_port_base: int) -> dict[str, int]:
    """Each service's HTTP port: the one its manifest declares, every one shifted so that the
    lowest is ``http_port_base`` (0: each service picks a free port)."""
    shift = http_port_base - first_port()
    return {
        name: 0 if http_port_base == 0 else manifest.port + shift
        for name, manifest in MANIFESTS.items()
    }


def children(env: dict[str, str], http_port_base: int) -> list[ChildSpec]:
    return [
        ChildSpec(
            name,
            [sys.executable, "-m", f"radar_{name}"],
            {**env, "RADAR_HTTP_PORT": str(port)},
        )
        for name, port in http_ports(http_port_base).items()
    ]


@contextlib.contextmanager
def _only_one(state_dir: Path) -> Iterator[None]:
    """Hold a lock on the state directory: two pipelines on one Redis data directory would
    overwrite each other's files. The lock ends with the process, however it ends."""
    try:
        state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = (state_dir / LOCK_FILE).open("a+")
    except OSError as exc:
        raise CommandError(f"cannot use {state_dir}: {exc.strerror or exc}") from None
    with lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "?"
            raise CommandError(
                f"another radar up (pid {holder}) uses {state_dir}: stop it, or give this one"
                " its own --state-dir"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        yield


def redis_password(state_dir: Path) -> str:
    """The embedded Redis's password: the one kept in the state directory (mode 0600), else
    a new one, kept there."""
    path = state_dir / connection.PASSWORD_FILE
    with contextlib.suppress(FileNotFoundError, UnicodeDecodeError):
        kept = path.read_text(encoding="utf-8").strip()
        if len(kept) >= 16 and set(kept) <= _PASSWORD_CHARS:
            path.chmod(0o600)
            return kept
    password = new_password()
    write_private(path, password + "\n")
    return password


def run(*, state_dir: Path, duration_s: float | None, tail: bool, http_port_base: int) -> int:
    env = dict(os.environ)
    given = any(env.get(name) for name in connection.URL_ENV)
    if given:  # refuse at once, in one line, a Redis the services could not use
        target = connection.target()
        asyncio.run(connection.check(target))
    with _only_one(state_dir):
        embedded = None
        if given:
            env["REDIS_URL"] = target.url
            say(f"using the Redis at {target.described}")
        else:
            embedded = EmbeddedRedis(state_dir / "redis", password=redis_password(state_dir))
            try:
                env["REDIS_URL"] = embedded.start()
            except EmbeddedRedisError as exc:
                raise CommandError(str(exc)) from None
            target = connection.RedisTarget(env["REDIS_URL"], "the Redis radar up started")
            say(
                f"started redis-server at {target.shown} (data in {state_dir / 'redis'},"
                f" password in {state_dir / connection.PASSWORD_FILE})"
            )
        try:
            recorded = connection.record_url(state_dir, target.url)
            say(f"other radar commands find this Redis in {recorded} (when REDIS_URL is unset)")
            return asyncio.run(_supervise(env, target, state_dir, duration_s, tail, http_port_base))
        finally:
            if embedded is not None:
                embedded.stop()
                say("stopped redis-server")


async def _supervise(
    env: dict[str, str],
    target: connection.RedisTarget,
    state_dir: Path,
    duration_s: float | None,
    show_alerts: bool,
    http_port_base: int,
) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    supervisor = Supervisor(children(env, http_port_base), state_dir / "logs", report=say)
    started_ms = int(time.time() * 1000)
    supervisor.start()
    say(f"services running; logs in {state_dir / 'logs'}; Ctrl-C stops everything")
    watcher = None
    if show_alerts:
        watcher = asyncio.create_task(_show_alerts(target, started_ms))
        watcher.add_done_callback(_watcher_ended)
    waits = [asyncio.create_task(stop.wait()), asyncio.create_task(supervisor.failed.wait())]
    await asyncio.wait(waits, timeout=duration_s, return_when=asyncio.FIRST_COMPLETED)
    for wait in waits:
        wait.cancel()
    failed = supervisor.failed.is_set()
    if failed:
        missing = ", ".join(supervisor.failures)
        say(f"stopping everything: the pipeline cannot run without {missing}")
    else:
        say("stopping services")
    if watcher is not None:
        watcher.cancel()
    codes = await supervisor.stop()
    say("stopped: " + ", ".join(f"{name} exit {code}" for name, code in codes.items()))
    return 1 if failed else 0


def _watcher_ended(task: "asyncio.Task[None]") -> None:
    if task.cancelled() or task.exception() is None:
        return
    exc = task.exception()
    reason = str(exc) if isinstance(exc, CommandError) else f"{type(exc).__name__}: {exc}"
    say(f"alerts are no longer shown here: {reason}")


async def _show_alerts(target: connection.RedisTarget, started_ms: int) -> None:
    streams = connection.settings(RuntimeSettings, target).streams
    async with connection.connected(target) as redis:
        recent: Any = await redis.xrevrange(streams.alerts, max=f"{started_ms - 1}", count=5)
        if recent:
            say(f"the last {len(recent)} alerts before this start:")
            for _, fields in reversed(recent):
                with contextlib.suppress(SchemaError):
                    print(render(decode(fields), as_json=False), flush=True)
        say("alerts from now on:")
        await tail(redis, TailOptions(stream=streams.alerts, start=f"{started_ms}-0"))
