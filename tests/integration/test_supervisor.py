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
