"""Starting services as real processes in tests."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from radar_runtime.embedded_redis import free_port

ROOT = Path(__file__).resolve().parents[2]


def service_env(redis_url: str, prefix: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RADAR_")}
    env.update(
        {
            "REDIS_URL": redis_url,
            "RADAR_STREAM_PREFIX": prefix,
            "RADAR_LOG_FORMAT": "json",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def start(module: str, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", module], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )


def wait_ready(port: int, process: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    """Until GET /readyz answers 200; fails early if the process exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode} before ready")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"not ready on port {port} after {timeout_s} s")


@contextmanager
def running(
    module: str, env: dict[str, str], log_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A service process, ready; killed at the end if still running."""
    port = free_port()
    process = start(module, {**env, "RADAR_HTTP_PORT": str(port)}, log_path)
    try:
        wait_ready(port, process)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
