"""A real Prometheus server (Debian's `prometheus`) scraping local services, for tests."""

import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from radar_runtime.embedded_redis import free_port


@contextmanager
def prometheus_server(
    binary: str, targets: dict[str, int], workdir: Path, rule_files: Sequence[Path] = ()
) -> Iterator[str]:
    """Prometheus scraping ``{service: port}`` on 127.0.0.1 every second, evaluating
    ``rule_files`` every second; yields its URL."""
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(path) for path in rule_files],
        "scrape_configs": [
            {
                "job_name": "radar",
                "static_configs": [
                    {"targets": [f"127.0.0.1:{port}"], "labels": {"service": name}}
                    for name, port in targets.items()
                ],
            }
        ],
    }
    (workdir / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    with (workdir / "prometheus.log").open("wb") as log:
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={workdir / 'prometheus.yml'}",
                f"--storage.tsdb.path={workdir / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert process.poll() is None, (workdir / "prometheus.log").read_text()[-2000:]
            try:
                if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def query(url: str, expression: str) -> list[dict[str, Any]]:
    """The result vector of an instant query."""
    response = httpx.get(f"{url}/api/v1/query", params={"query": expression}, timeout=5)
    response.raise_for_status()
    body = response.json()
    assert body["status"] == "success", body
    result: list[dict[str, Any]] = body["data"]["result"]
    return result


def find(binary: str) -> str | None:
    return shutil.which(binary)


def binary(name: str) -> str:
    """The path of a tool the observability tests need; its absence fails a CI run (where
    `make tools` installs it) and skips elsewhere."""
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} not on PATH (make tools installs Debian's prometheus, as root)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
