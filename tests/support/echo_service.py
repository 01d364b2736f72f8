"""A service for runtime tests: copies each news entry to the tagged stream after a delay.

Run as a real process: ``python -m tests.support.echo_service`` with RADAR_ settings and
ECHO_DELAY_S in the environment.
"""

import asyncio
import os
from typing import Any

from radar_runtime import Emitter, Runtime, RuntimeSettings, run_service
from radar_schemas import Envelope, EventType


def main() -> None:
    settings = RuntimeSettings()
    delay_s = float(os.environ.get("ECHO_DELAY_S", "0"))

    async def handle(event: Envelope[Any], out: Emitter) -> None:
        await asyncio.sleep(delay_s)
        out.emit(
            settings.streams.tagged,
            EventType.NEWS_INGESTED,
            event.payload,
            occurred_at=event.occurred_at,
        )

    async def setup(rt: Runtime) -> None:
        rt.consume(rt.streams.news, handle, group="echo")

    run_service("echo", settings, setup)


if __name__ == "__main__":
    main()
