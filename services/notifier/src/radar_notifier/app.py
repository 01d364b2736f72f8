"""Notifier service: alerts stream in, signed webhook POSTs out. A failed delivery leaves
the alert pending, so the runtime retries it and finally dead-letters it."""

from typing import Any

import httpx
import structlog

from radar_runtime import Emitter, Runtime, Setup
from radar_schemas import Envelope

from .deliver import deliver
from .settings import NotifierSettings

log = structlog.get_logger("radar.notifier")


def make_setup(settings: NotifierSettings) -> Setup:
    async def setup(rt: Runtime) -> None:
        client = httpx.AsyncClient(timeout=settings.webhook_timeout_s, follow_redirects=False)
        rt.on_close(client.aclose)
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""

        async def handle(event: Envelope[Any], out: Emitter) -> None:
            for url in settings.webhook_urls:
                status = await deliver(
                    client, url, secret, event, allow_private=settings.allow_private_targets
                )
                log.info("webhook delivered", status=status, alert=event.payload.fingerprint)

        if not settings.webhook_urls:
            log.info("no webhook URLs configured; alerts are consumed and acknowledged")
        rt.consume(rt.streams.alerts, handle)

    return setup
