"""The embedded Redis (``radar up`` without REDIS_URL, and this test suite's own): loopback
only, a generated password that never shows on a command line, data readable by its owner
alone (issue 16, item 9)."""

import stat
from pathlib import Path

import pytest
import redis

from radar_runtime import EmbeddedRedis


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_embedded_redis_wants_a_generated_password_and_keeps_its_data_private(
    tmp_path: Path,
) -> None:
    data = tmp_path / "redis"
    data.mkdir(mode=0o755)  # as an older run left it
    (data / "redis.log").write_text("old log\n")
    (data / "redis.log").chmod(0o644)
    embedded = EmbeddedRedis(data)
    with embedded as url:
        password = embedded.password
        assert len(password) >= 32
        assert url == f"redis://:{password}@127.0.0.1:{embedded.port}/0"
        client = redis.Redis.from_url(url)
        client.set("k", "v")
        assert client.config_get("bind")["bind"].split()[0] == "127.0.0.1"
        client.close()
        anonymous = redis.Redis(host="127.0.0.1", port=embedded.port, socket_timeout=5)
        with pytest.raises(redis.AuthenticationError):
            anonymous.ping()
        anonymous.close()
        assert embedded.process is not None
        cmdline = Path(f"/proc/{embedded.process.pid}/cmdline").read_bytes()
        assert password.encode() not in cmdline
    assert mode(data) == 0o700
    files = list(data.rglob("*"))
    assert any("appendonly" in p.name for p in files)
    for path in files:
        assert mode(path) & 0o077 == 0, f"{path}: {oct(mode(path))}"
    assert password not in (data / "redis.log").read_text()


def test_a_given_password_is_used(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path, password="given-password-with-enough-length") as url:
        assert url.startswith("redis://:given-password-with-enough-length@127.0.0.1:")
        assert redis.Redis.from_url(url).ping()
