"""Issue 16, items 1 and 7, at the service level: a consume loop that stops fails liveness
and ends the process non-zero; /readyz answers 503 while Redis does not answer."""

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
from faststream.asgi import AsgiFastStream

from radar_runtime import EmbeddedRedis, Emitter, Runtime, build_app
from radar_schemas import Envelope, Streams

from ..support.messages import settings_for
from ..support.processes import ROOT, service_env

HANG_GUARD_S = 20  # only catches a hang: every wait below ends on an event, not on time


async def ignore(event: Envelope[Any], out: Emitter) -> None:
    return None


async def broken_read() -> None:
    raise RuntimeError("injected read failure")


async def setup_broken_consumer(rt: Runtime) -> None:
    """One consumer whose read step raises what the loop does not expect: a fault injected
    in the loop itself, since no input can reach this path any more."""
    rt.consume(rt.streams.news, ignore, group="g")
    setattr(rt.consumers[0], "_read_once", broken_read)  # noqa: B010


async def no_work(rt: Runtime) -> None:
    return None


@asynccontextmanager
async def served(app: AsgiFastStream) -> AsyncIterator[httpx.AsyncClient]:
    """The app started (lifespan) and a client that calls it in process."""
    async with app.start_lifespan_context():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://radar") as client:
            yield client


async def test_a_stopped_consume_loop_fails_liveness_and_is_counted(
    redis_url: str, streams: Streams
) -> None:
    app, runtime = build_app(
        "broken", settings_for(redis_url, streams.prefix), setup_broken_consumer
    )
    async with served(app) as client, asyncio.timeout(HANG_GUARD_S):
        while (health := await client.get("/healthz")).status_code == 200:  # until it stops
            await asyncio.sleep(0.05)
        ready = await client.get("/readyz")
    assert health.status_code == 503 and f"consume:{streams.news}" in health.text
    assert ready.status_code == 503
    errors = runtime.metrics.registry.get_sample_value(
        "radar_consumer_loop_errors_total", {"stream": "news", "kind": "unexpected"}
    )
    assert errors == 1


BROKEN_SERVICE = """
from radar_runtime import RuntimeSettings, run_service
from tests.integration.test_hardening_loop_service import setup_broken_consumer
run_service("broken", RuntimeSettings(), setup_broken_consumer)
"""


def test_a_service_whose_consume_loop_stops_exits_non_zero(
    redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    env = service_env(redis_url, streams.prefix, RADAR_HTTP_PORT="0")
    log_path = tmp_path / "broken.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", BROKEN_SERVICE],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        code = process.wait(timeout=HANG_GUARD_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log_text = log_path.read_text()
    assert code == 1, log_text
    assert "injected read failure" in log_text


@contextmanager
def frozen(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """The Redis process stopped (SIGSTOP): connections stay open, nothing answers, as with
    a hung host or a network partition."""
    os.kill(process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(process.pid, signal.SIGCONT)


async def test_readyz_answers_503_while_redis_does_not_answer(
    tmp_path: Path, streams: Streams
) -> None:
    server = EmbeddedRedis(tmp_path / "redis")
    url = server.start()
    try:
        assert server.process is not None
        app, _ = build_app("ready", settings_for(url, streams.prefix), no_work)
        async with served(app) as client:
            async with asyncio.timeout(HANG_GUARD_S):  # ready first (a busy machine may lag)
                while (await client.get("/readyz")).status_code != 200:
                    await asyncio.sleep(0.05)
            with frozen(server.process):
                async with asyncio.timeout(HANG_GUARD_S):
                    ready = await client.get("/readyz")
            assert ready.status_code == 503 and "redis" in ready.text
    finally:
        server.stop()
