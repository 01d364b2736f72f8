"""Runs services as supervised child processes: a crashed one is restarted with backoff;
stop() sends SIGTERM to each, waits for a graceful exit, and kills what is left."""

import asyncio
import contextlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .procs import child_preexec

MAX_BACKOFF_S = 30.0
STABLE_AFTER_S = 60.0


@dataclass
class ChildSpec:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class _Child:
    spec: ChildSpec
    process: asyncio.subprocess.Process | None = None
    restarts: int = 0


class Supervisor:
    """Keeps every child running until stop(); restart-always, so a service that exits with
    code 0 on a lost consumer group is restarted too."""

    def __init__(
        self,
        children: list[ChildSpec],
        log_dir: Path,
        *,
        report: Callable[[str], None] = lambda line: None,
        stop_timeout_s: float = 30.0,
    ) -> None:
        self.children = [_Child(spec) for spec in children]
        self.log_dir = log_dir
        self.report = report
        self.stop_timeout_s = stop_timeout_s
        self._stopping = asyncio.Event()
        self._loops: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._loops = [asyncio.create_task(self._keep_running(child)) for child in self.children]

    async def _spawn(self, child: _Child) -> asyncio.subprocess.Process:
        log_path = self.log_dir / f"{child.spec.name}.log"
        with log_path.open("ab") as log_file:
            return await asyncio.create_subprocess_exec(
                *child.spec.argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log_file,
                stderr=log_file,
                env=child.spec.env,
                preexec_fn=child_preexec if sys.platform == "linux" else None,
            )

    async def _keep_running(self, child: _Child) -> None:
        backoff_s = 1.0
        while not self._stopping.is_set():
            started = time.monotonic()
            child.process = await self._spawn(child)
            self.report(f"started {child.spec.name} (pid {child.process.pid})")
            returncode = await child.process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started > STABLE_AFTER_S:
                backoff_s = 1.0
            child.restarts += 1
            self.report(
                f"{child.spec.name} exited with code {returncode}; restarting in {backoff_s:.0f} s"
                f" (log: {self.log_dir / (child.spec.name + '.log')})"
            )
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), backoff_s)
            backoff_s = min(backoff_s * 2, MAX_BACKOFF_S)

    def pids(self) -> dict[str, int]:
        return {
            c.spec.name: c.process.pid
            for c in self.children
            if c.process is not None and c.process.returncode is None
        }

    async def stop(self) -> dict[str, int | None]:
        """SIGTERM every child, wait for them, SIGKILL any still running after the timeout.
        Returns each child's exit code."""
        self._stopping.set()
        running = [c.process for c in self.children if c.process and c.process.returncode is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        waits = [asyncio.wait_for(p.wait(), self.stop_timeout_s) for p in running]
        results = await asyncio.gather(*waits, return_exceptions=True)
        for process, result in zip(running, results, strict=True):
            if isinstance(result, BaseException):
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        for loop in self._loops:
            loop.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)
        return {c.spec.name: (c.process.returncode if c.process else None) for c in self.children}
