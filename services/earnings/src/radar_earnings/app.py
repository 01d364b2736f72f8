"""Earnings ingest service: polls calendars, the SEC watchlist and earnings texts."""

from functools import partial

import structlog

from radar_reference import load_companies
from radar_runtime import Runtime, Setup

from .adapters.sec import SecClient
from .pollers import calendar_once, documents_once, sec_once
from .settings import EarningsSettings

log = structlog.get_logger("radar.earnings")


def make_setup(settings: EarningsSettings) -> Setup:
    """Register one polling task per calendar, one for the watchlist, one for texts."""

    async def setup(rt: Runtime) -> None:
        companies = load_companies()
        # A failed poll is logged and tried again next time: sources come and go.
        interval_s = settings.poll_interval_s
        for path in settings.calendar_files:
            once = partial(calendar_once, settings, path, rt)
            rt.every(f"calendar:{path.name}", interval_s, once, at_start=True)
        if settings.document_files:
            once = partial(documents_once, settings, companies, rt)
            rt.every("documents", interval_s, once, at_start=True)
        if settings.sec_ciks:
            client = SecClient(
                settings.sec_base_url,
                settings.sec_user_agent,
                settings.sec_max_requests_per_s,
                settings.sec_timeout_s,
            )
            rt.on_close(client.aclose)
            once = partial(sec_once, settings, client, companies, rt)
            rt.every("sec", settings.sec_poll_interval_s, once, at_start=True)

    return setup
