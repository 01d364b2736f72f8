"""Runs services as supervised child processes: a crashed one is restarted with backoff;
one that exits within its first seconds, start after start, is reported as unable to start
(with the last error line it logged) and left stopped; stop() sends SIGTERM to each, waits for a
graceful exit, and kills what is left."""

import asyncio
import contextlib
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .procs import child_preexec
from .waits import wait_set

MAX_BACKOFF_S = 30.0
STABLE_AFTER_S = 60.0
# A run shorter than this is a failed start; this many in a row: the child cannot start.
STARTUP_S = 10.0
START_ATTEMPTS = 3
_LOG_TAIL_BYTES = 8192
_ERROR_LINE = re.compile(
    r"\berror\b|exception|traceback|\"level\": \"(critical|error)\"", re.IGNORECASE
)


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
    failed_starts: int = 0


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
        startup_s: float = STARTUP_S,
        start_attempts: int = START_ATTEMPTS,
    ) -> None:
        self.children = [_Child(spec) for spec in children]
        self.log_dir = log_dir
        self.report = report
        self.stop_timeout_s = stop_timeout_s
        self.startup_s = startup_s
        self.start_attempts = start_attempts
        self._stopping = asyncio.Event()
        self._loops: list[asyncio.Task[None]] = []
        # Set when a child cannot start (its name is in ``failures``); it is not restarted.
        self.failed = asyncio.Event()
        self.failures: list[str] = []

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._loops = [asyncio.create_task(self._keep_running(child)) for child in self.children]

    async def _spawn(self, child: _Child) -> asyncio.subprocess.Process:
        with self._log_path(child).open("ab") as log_file:
            return await asyncio.create_subprocess_exec(
                *child.spec.argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log_file,
                stderr=log_file,
                env=child.spec.env,
                preexec_fn=child_preexec if sys.platform == "linux" else None,
            )

    def _log_path(self, child: _Child) -> Path:
        return self.log_dir / f"{child.spec.name}.log"

    def _last_log_line(self, child: _Child) -> str:
        """The child's last logged error line (else its last line), trimmed: why it stopped,
        rather than the "stopped" line that follows."""
        try:
            with self._log_path(child).open("rb") as log:
                log.seek(0, 2)
                log.seek(max(0, log.tell() - _LOG_TAIL_BYTES))
                tail = log.read().decode("utf-8", errors="replace")
        except OSError:
            return ""
        lines = [line.strip() for line in tail.splitlines() if line.strip()]
        errors = [line for line in lines if _ERROR_LINE.search(line)]
        chosen = errors[-1] if errors else lines[-1] if lines else ""
        return chosen[:300]

    async def _keep_running(self, child: _Child) -> None:
        backoff_s = 1.0
        while not self._stopping.is_set():
            started = time.monotonic()
            child.process = await self._spawn(child)
            self.report(f"started {child.spec.name} (pid {child.process.pid})")
            returncode = await child.process.wait()
            if self._stopping.is_set():
                return
            ran_s = time.monotonic() - started
            if ran_s > STABLE_AFTER_S:
                backoff_s = 1.0
            child.failed_starts = child.failed_starts + 1 if ran_s < self.startup_s else 0
            if child.failed_starts >= self.start_attempts:
                last = self._last_log_line(child)
                self.report(
                    f"{child.spec.name} cannot start: exited {child.failed_starts} times within"
                    f" {self.startup_s:g} s of starting (last exit code {returncode})"
                    + (f"; last log line: {last}" if last else "")
                    + f" (log: {self._log_path(child)})"
                )
                self.failures.append(child.spec.name)
                self.failed.set()
                return
            child.restarts += 1
            self.report(
                f"{child.spec.name} exited with code {returncode}; restarting in {backoff_s:.0f} s"
                f" (log: {self._log_path(child)})"
            )
            await wait_set(self._stopping, backoff_s)
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
