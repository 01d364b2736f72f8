"""Earnings ingest service: polls calendars, the SEC watchlist and earnings texts."""

from collections.abc import Awaitable, Callable
from functools import partial

import structlog

from radar_reference import load_companies
from radar_runtime import Runtime, Setup

from .adapters.sec import SecClient
from .pollers import calendar_once, documents_once, sec_once
from .settings import EarningsSettings

log = structlog.get_logger("radar.earnings")


async def _repeat(
    name: str, interval_s: float, once: Callable[[Runtime], Awaitable[int]], rt: Runtime
) -> None:
    # A failed poll is logged and tried again next time: sources come and go.
    while True:
        try:
            await once(rt)
        except Exception as exc:
            log.warning("poll failed", poll=name, error=f"{type(exc).__name__}: {exc}")
        if await rt.sleep(interval_s):
            return


def make_setup(settings: EarningsSettings) -> Setup:
    """Register one polling task per calendar, one for the watchlist, one for texts."""

    async def setup(rt: Runtime) -> None:
        companies = load_companies()
        for path in settings.calendar_files:
            once = partial(calendar_once, settings, path)
            rt.task(
                f"calendar:{path.name}", partial(_repeat, path.name, settings.poll_interval_s, once)
            )
        if settings.document_files:
            once = partial(documents_once, settings, companies)
            rt.task("documents", partial(_repeat, "documents", settings.poll_interval_s, once))
        if settings.sec_ciks:
            client = SecClient(
                settings.sec_base_url,
                settings.sec_user_agent,
                settings.sec_max_requests_per_s,
                settings.sec_timeout_s,
            )
            rt.on_close(client.aclose)
            once = partial(sec_once, settings, client, companies)
            rt.task("sec", partial(_repeat, "sec", settings.sec_poll_interval_s, once))

    return setup
