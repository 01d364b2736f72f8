"""The process supervisor behind `radar up`: restart-always, ordered stop."""

import asyncio
import sys
from pathlib import Path

from radar_runtime.supervisor import ChildSpec, Supervisor


async def test_a_child_that_exits_is_restarted_and_stop_ends_all(tmp_path: Path) -> None:
    marker = tmp_path / "starts"
    crash = ChildSpec(
        "crasher",
        [sys.executable, "-c", f"open({str(marker)!r}, 'a').write('x'); raise SystemExit(0)"],
    )
    sleeper = ChildSpec("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"])
    lines: list[str] = []
    supervisor = Supervisor([crash, sleeper], tmp_path / "logs", report=lines.append)
    supervisor.start()
    async with asyncio.timeout(20):
        while not marker.exists() or len(marker.read_text()) < 2:
            await asyncio.sleep(0.1)
    assert "sleeper" in supervisor.pids()
    codes = await supervisor.stop()
    assert codes["sleeper"] == -15  # SIGTERM, sent by stop()
    assert any("crasher exited with code 0; restarting" in line for line in lines)
    assert (tmp_path / "logs" / "crasher.log").exists()
    assert supervisor.pids() == {}


async def test_a_child_that_cannot_start_is_reported_once_with_its_last_log_line(
    tmp_path: Path,
) -> None:
    """A child that exits within its first seconds, start after start (a port clash, a bad
    setting), is reported as unable to start, with its exit code and the last line it logged,
    and is not restarted again; the others keep running until stop()."""
    broken = ChildSpec(
        "broken",
        [
            sys.executable,
            "-c",
            "import sys; print('port 9101 already in use', file=sys.stderr); sys.exit(3)",
        ],
    )
    sleeper = ChildSpec("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"])
    lines: list[str] = []
    supervisor = Supervisor([broken, sleeper], tmp_path / "logs", report=lines.append)
    supervisor.start()
    try:
        async with asyncio.timeout(60):  # hang guard
            await supervisor.failed.wait()
        assert "sleeper" in supervisor.pids()
    finally:
        codes = await supervisor.stop()
    cannot = [line for line in lines if "cannot start" in line]
    assert len(cannot) == 1
    assert cannot[0].startswith("broken cannot start: exited 3 times")
    assert "code 3" in cannot[0] and "port 9101 already in use" in cannot[0]
    assert supervisor.failures == ["broken"]
    assert codes == {"broken": 3, "sleeper": -15}
