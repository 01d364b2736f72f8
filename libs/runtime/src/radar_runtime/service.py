"""A Radar service: a FastStream ASGI app hosting the runtime's consumers and tasks, with
``/metrics``, ``/healthz`` and ``/readyz``, stopped gracefully on SIGTERM or SIGINT.

A consume loop that stops before the service does (an error it cannot handle) fails
``/healthz`` and ends the process with exit code 1, so that the supervisor (``radar up``)
or the orchestrator restarts it: a service must never stay up doing nothing."""

import asyncio
import signal
import sys
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import structlog
import uvicorn
from faststream.asgi import AsgiFastStream, AsgiResponse, get
from faststream.redis import RedisBroker
from prometheus_client import make_asgi_app
from redis.asyncio import Redis

from radar_schemas import Envelope, EventType, encode
from radar_schemas.topology import MANIFESTS, ServiceManifest

from .consumer import Handler, StreamConsumer
from .emit import Emitter, Publisher
from .groups import group_lag, group_stats, remove_stale_consumers, trim_acked
from .logs import configure_logging
from .metrics import RuntimeMetrics
from .redis_client import connect
from .settings import RuntimeSettings
from .waits import wait_set
from .wiring import by_event_type, check_declared_read, declared_reads

Task = Callable[["Runtime"], Coroutine[Any, Any, None]]
Setup = Callable[["Runtime"], Awaitable[None]]
log = structlog.get_logger("radar.service")
STALE_CONSUMER_IDLE_MS = 3_600_000
# /readyz must answer within a second in every state: Redis gets half of it to answer a PING
# (the client's own retries would take many seconds during an outage).
READY_REDIS_TIMEOUT_S = 0.5


@dataclass
class Runtime:
    """What a service's setup function gets: clients, settings, and places to register work."""

    name: str
    settings: RuntimeSettings
    redis: "Redis"
    metrics: RuntimeMetrics
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    consumers: list[StreamConsumer] = field(default_factory=list)
    tasks: list[tuple[str, Task]] = field(default_factory=list)
    closers: list[Callable[[], Awaitable[Any]]] = field(default_factory=list)
    # Consume loops that stopped before the service did; work_failed is set on the first.
    failed_work: list[str] = field(default_factory=list)
    work_failed: asyncio.Event = field(default_factory=asyncio.Event)
    # What the service declares it reads and runs (radar_schemas.topology; by default the
    # manifest of the service of this name, if any): the Runtime refuses to consume or run
    # anything else, so the code and the declared topology cannot drift apart.
    manifest: ServiceManifest | None = None
    # Every entry this service adds to a stream goes through it, and is counted there.
    publisher: Publisher = field(init=False)

    def __post_init__(self) -> None:
        if self.manifest is None:
            self.manifest = MANIFESTS.get(self.name)
        self.publisher = Publisher(self.redis, self.metrics, self.settings.streams)

    @property
    def streams(self) -> Any:
        return self.settings.streams

    def consume(
        self,
        stream: str,
        handlers: Mapping[EventType, Handler] | Handler,
        *,
        group: str | None = None,
        handler_timeout_s: float | None = None,
    ) -> None:
        """Read ``stream`` as a member of ``group`` (default: the service name, so replicas
        of one service share the work), handing each entry to the handler of its event type
        within ``handler_timeout_s`` (default: the settings' handler time limit). An entry of
        any other type is dead-lettered at once. A single handler takes every type (tools
        and tests; a service with a manifest must name its types)."""
        if isinstance(handlers, Mapping):
            event_types: frozenset[EventType] | None = frozenset(handlers)
            handler = by_event_type(handlers)
        else:
            event_types, handler = None, handlers
        if self.manifest is not None:
            check_declared_read(self.manifest, self.streams.logical_name(stream), event_types)
        self.consumers.append(
            StreamConsumer(
                self.redis,
                stream=stream,
                group=group or self.name,
                handler=handler,
                service=self.name,
                settings=self.settings,
                metrics=self.metrics,
                handler_timeout_s=handler_timeout_s,
                event_types=event_types,
            )
        )

    def consume_declared(self, handlers: Mapping[str, Handler]) -> None:
        """Consume every stream the manifest declares, each event type with the handler
        the manifest names for it (``handlers``: by name, exactly the names declared)."""
        if self.manifest is None:
            raise ValueError(f"{self.name} has no manifest to consume from")
        for stream, by_type in declared_reads(self.manifest, handlers):
            self.consume(self.streams.key(stream), by_type)

    def task(self, name: str, task: Task) -> None:
        """Run ``task(runtime)`` beside the consumers; it should return once ``stopping`` is set.
        With a manifest, ``name`` must be one it declares."""
        if self.manifest is not None and not self.manifest.declares_task(name):
            raise ValueError(f"{self.name} runs task {name!r}, which its manifest does not declare")
        self.tasks.append((name, task))

    def every(
        self,
        name: str,
        interval_s: float,
        step: Callable[[], Awaitable[Any]],
        *,
        at_start: bool = False,
    ) -> None:
        """Run ``step`` every ``interval_s`` (first at start when ``at_start``) until the
        service stops. A step that fails is logged and run again at the next tick: a source
        or Redis away for a moment never ends the loop; each failure is counted
        (``radar_periodic_task_errors_total{task}``) so that a step failing on every tick,
        which leaves the service healthy but idle, shows on the dashboard."""
        failures = self.metrics.task_errors.labels(name.split(":", 1)[0])

        async def loop(rt: Runtime) -> None:
            if not at_start and await rt.sleep(interval_s):
                return
            while True:
                try:
                    await step()
                except Exception as exc:
                    failures.inc()
                    log.warning(
                        "periodic task failed", task=name, error=f"{type(exc).__name__}: {exc}"
                    )
                if await rt.sleep(interval_s):
                    return

        self.task(name, loop)

    def on_close(self, closer: Callable[[], Awaitable[Any]]) -> None:
        self.closers.append(closer)

    def emitter(self, correlation_id: str) -> Emitter:
        """An emitter for producers that start a chain (the correlation id is the document)."""
        return Emitter(self.name, correlation_id, None)

    async def publish(self, emitter: Emitter) -> list[str]:
        """Add the emitter's outputs to their streams (counted); returns the entry ids."""
        ids = await self.publisher.add(emitter.outputs)
        emitter.outputs.clear()
        return ids

    async def publish_once(
        self, stream: str, events: list[tuple[str, Envelope[Any]]], ttl_s: int
    ) -> int:
        """Publish each ``(key, event)`` whose key was not seen within ``ttl_s``; returns how
        many were published. A key is marked seen by the script that adds its event, so
        nothing is marked seen without being published (a crash may publish twice, never
        lose). For producers reading sources that repeat themselves (feeds, calendars)."""
        prefix = self.settings.stream_prefix
        keyed = [(f"{prefix}:seen:{key}", encode(event)) for key, event in events]
        return await self.publisher.add_once(stream, keyed, ttl_s)

    async def sleep(self, seconds: float) -> bool:
        """Sleep unless stopping; True when the service is stopping."""
        return await wait_set(self.stopping, seconds)


class _Host:
    """Starts and stops a Runtime's work inside the ASGI lifespan."""

    def __init__(self, runtime: Runtime, setup: Callable[[Runtime], Awaitable[None]]) -> None:
        self.runtime, self.setup = runtime, setup
        self.running: dict[str, asyncio.Task[None]] = {}

    async def start(self) -> None:
        rt = self.runtime
        await rt.redis.ping()
        await self.setup(rt)
        for consumer in rt.consumers:
            self._start(f"consume:{consumer.stream}", consumer.run(), vital=True)
        for name, task in rt.tasks:
            self._start(name, task(rt), vital=False)
        self._start("monitor", self._monitor(), vital=False)
        log.info("service started", service=rt.name, work=sorted(self.running))

    def _start(self, name: str, work: Coroutine[Any, Any, None], *, vital: bool) -> None:
        task = asyncio.create_task(work, name=name)
        task.add_done_callback(partial(self._ended, name, vital))
        self.running[name] = task

    def _ended(self, name: str, vital: bool, task: "asyncio.Task[None]") -> None:
        """Work that ends before the service stops is logged at once. A consume loop is
        vital: the service then fails liveness and exits non-zero (see run_service). Other
        tasks (a feed poller, say) only make the service unready."""
        if self.runtime.stopping.is_set():
            return
        error = None if task.cancelled() else task.exception()
        log.error("work stopped before the service", work=name, vital=vital, error=repr(error))
        if vital:
            self.runtime.failed_work.append(name)
            self.runtime.work_failed.set()

    async def stop(self) -> None:
        rt = self.runtime
        log.info("service stopping", service=rt.name)
        rt.stopping.set()
        for consumer in rt.consumers:
            consumer.stop()
        results = await asyncio.gather(*self.running.values(), return_exceptions=True)
        for name, result in zip(self.running, results, strict=True):
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                log.error("work ended with an error", work=name, error=repr(result))
        for closer in reversed(rt.closers):
            await closer()
        await rt.redis.aclose()
        log.info("service stopped", service=rt.name)

    def unready(self) -> list[str]:
        return [name for name, task in self.running.items() if task.done()]

    async def not_ready(self) -> list[str]:
        """What keeps the service from being ready: stopped work, and Redis when it does not
        answer within READY_REDIS_TIMEOUT_S. Empty when ready."""
        down = self.unready()
        if not await redis_answers(self.runtime.redis, READY_REDIS_TIMEOUT_S):
            down.append("redis")
        if not self.running:
            down.append("starting")
        return down

    async def _monitor(self) -> None:
        """Export lag, pending and stream length; trim what every group has acked; drop
        consumers that restarts left behind with nothing pending."""
        rt, last_trim = self.runtime, 0.0
        loop = asyncio.get_running_loop()
        while not await rt.sleep(rt.settings.monitor_interval_s):
            await self._export_group_figures()
            if loop.time() - last_trim >= rt.settings.trim_interval_s:
                last_trim = loop.time()
                try:
                    await self._housekeeping()
                except Exception as exc:
                    log.warning("housekeeping failed", error=f"{type(exc).__name__}: {exc}")

    async def _export_group_figures(self) -> None:
        for consumer in self.runtime.consumers:
            try:
                await self._export_figures_of(consumer)
            except Exception as exc:
                # Figures that cannot be read now are removed, never left at old values.
                self.runtime.metrics.forget_group(consumer.label, consumer.group)
                log.warning(
                    "group figures unavailable",
                    stream=consumer.stream,
                    error=f"{type(exc).__name__}: {exc}",
                )

    async def _export_figures_of(self, consumer: StreamConsumer) -> None:
        redis, metrics, label = self.runtime.redis, self.runtime.metrics, consumer.label
        metrics.stream_length.labels(label).set(await redis.xlen(consumer.stream))
        stats = {s.name: s for s in await group_stats(redis, consumer.stream)}
        mine = stats.get(consumer.group)
        if mine is None:  # the stream or group is gone: the consumer recreates it
            metrics.forget_group(label, consumer.group)
            return
        metrics.pending.labels(label, consumer.group).set(mine.pending)
        metrics.lag.labels(label, consumer.group).set(await group_lag(redis, consumer.stream, mine))

    async def _housekeeping(self) -> None:
        rt = self.runtime
        for consumer in rt.consumers:
            trimmed = await trim_acked(rt.redis, consumer.stream, rt.settings.retention_s)
            rt.metrics.trimmed.labels(consumer.label).inc(trimmed)
            await remove_stale_consumers(
                rt.redis,
                consumer.stream,
                consumer.group,
                keep=consumer.consumer,
                idle_ms=STALE_CONSUMER_IDLE_MS,
            )


def build_app(
    name: str, settings: RuntimeSettings, setup: Callable[[Runtime], Awaitable[None]]
) -> tuple[AsgiFastStream, Runtime]:
    """The service as an ASGI app (FastStream host, metrics, health) and its Runtime."""
    url = settings.redis_url.get_secret_value()
    metrics = RuntimeMetrics()
    metrics.info.info({"service": name})
    runtime = Runtime(name=name, settings=settings, redis=connect(url), metrics=metrics)
    host = _Host(runtime, setup)
    broker = RedisBroker(url, logger=structlog.get_logger("radar.broker"))

    @get
    async def healthz(scope: Any) -> AsgiResponse:
        if runtime.failed_work:
            return AsgiResponse(f"stopped: {', '.join(runtime.failed_work)}\n".encode(), 503)
        return AsgiResponse(b"ok\n", 200)

    @get
    async def readyz(scope: Any) -> AsgiResponse:
        down = await host.not_ready()
        if down:
            return AsgiResponse(f"not ready: {', '.join(down)}\n".encode(), 503)
        return AsgiResponse(b"ready\n", 200)

    app = AsgiFastStream(
        broker,
        asgi_routes=[
            ("/metrics", make_asgi_app(metrics.registry)),
            ("/healthz", healthz),
            ("/readyz", readyz),
        ],
        after_startup=[host.start],
        on_shutdown=[host.stop],
        logger=None,
    )
    return app, runtime


def run_service(
    name: str, settings: RuntimeSettings, setup: Callable[[Runtime], Awaitable[None]]
) -> None:
    """Entry point of a service process: log, serve until SIGTERM/SIGINT, exit 0 when the
    work stopped gracefully and 1 when the service could not start or a consume loop
    stopped."""
    configure_logging(settings.log_level, settings.log_format)
    structlog.contextvars.bind_contextvars(service=name)
    app, runtime = build_app(name, settings, setup)
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    # uvicorn restores the previous handlers after a graceful stop and raises the signal
    # again; a no-op handler there turns a graceful stop into exit code 0.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: None)
    sys.exit(asyncio.run(serve(server, runtime)))


async def serve(server: uvicorn.Server, runtime: Runtime) -> int:
    """Serve until the server is told to exit, or until a consume loop stops (then the
    server stops gracefully as on SIGTERM). Returns the process's exit code."""

    async def exit_when_work_fails() -> None:
        await runtime.work_failed.wait()
        server.should_exit = True

    watcher = asyncio.create_task(exit_when_work_fails())
    try:
        await server.serve()
    finally:
        watcher.cancel()
        with suppress(asyncio.CancelledError):
            await watcher
    return 0 if server.started and not runtime.failed_work else 1


async def redis_answers(redis: "Redis", timeout_s: float) -> bool:
    """Whether Redis answers a PING within ``timeout_s``."""
    try:
        async with asyncio.timeout(timeout_s):
            await redis.ping()
    except Exception:
        return False
    return True
