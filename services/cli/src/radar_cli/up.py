"""``radar up``: Redis when needed, every service as a supervised child, alerts on the console."""

import asyncio
import contextlib
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from radar_runtime import EmbeddedRedis, RuntimeSettings, connect
from radar_runtime.supervisor import ChildSpec, Supervisor
from radar_schemas import decode

from .tail import TailOptions, render, tail

SERVICES = ("news", "earnings", "tagger", "scorer", "alerter", "notifier")


def say(line: str) -> None:
    print(f"radar: {line}", file=sys.stderr, flush=True)


def children(env: dict[str, str], http_port_base: int) -> list[ChildSpec]:
    specs = []
    for index, name in enumerate(SERVICES):
        port = 0 if http_port_base == 0 else http_port_base + index
        child_env = {**env, "RADAR_HTTP_PORT": str(port)}
        specs.append(ChildSpec(name, [sys.executable, "-m", f"radar_{name}"], child_env))
    return specs


def run(*, state_dir: Path, duration_s: float | None, tail: bool, http_port_base: int) -> int:
    env = dict(os.environ)
    embedded = None
    if "REDIS_URL" not in env:
        embedded = EmbeddedRedis(state_dir / "redis")
        env["REDIS_URL"] = embedded.start()
        say(f"started redis-server at {env['REDIS_URL']} (data in {state_dir / 'redis'})")
    try:
        return asyncio.run(_supervise(env, state_dir, duration_s, tail, http_port_base))
    finally:
        if embedded is not None:
            embedded.stop()
            say("stopped redis-server")


async def _supervise(
    env: dict[str, str],
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
    watcher = asyncio.create_task(_show_alerts(env, started_ms)) if show_alerts else None
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), duration_s)
    say("stopping services")
    if watcher is not None:
        watcher.cancel()
    codes = await supervisor.stop()
    say("stopped: " + ", ".join(f"{name} exit {code}" for name, code in codes.items()))
    return 0


async def _show_alerts(env: dict[str, str], started_ms: int) -> None:
    settings = RuntimeSettings(REDIS_URL=env["REDIS_URL"])
    redis = connect(settings.redis_url.get_secret_value())
    recent: Any = await redis.xrevrange(settings.streams.alerts, max=f"{started_ms - 1}", count=5)
    if recent:
        say(f"the last {len(recent)} alerts before this start:")
        for _, fields in reversed(recent):
            print(render(decode(fields), as_json=False), flush=True)
    say("alerts from now on:")
    await tail(redis, TailOptions(stream=settings.streams.alerts, start=f"{started_ms}-0"))
