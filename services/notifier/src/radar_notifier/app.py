"""Notifier service: alerts stream in, queued per endpoint in Redis; a task delivers the due
ones as signed webhooks, retrying with backoff and dead-lettering what cannot be delivered."""

from datetime import UTC, datetime
from typing import Any

import structlog
from redis.exceptions import RedisError

from radar_runtime import Emitter, Runtime, Setup
from radar_schemas import Envelope

from .adapters.store import EndpointStore
from .adapters.transport import Resolver, guarded_client, system_resolver
from .delivery import Deliverer, DeliveryPolicy
from .domain.endpoints import Endpoint, env_endpoint_id
from .domain.retry import RetrySchedule
from .metrics import NotifierMetrics
from .settings import NotifierSettings

log = structlog.get_logger("radar.notifier")


def policy_from(settings: NotifierSettings) -> DeliveryPolicy:
    """The delivery policy the settings describe."""
    return DeliveryPolicy(
        schedule=RetrySchedule(tuple(settings.webhook_retry_schedule_s)),
        timeout_s=settings.webhook_timeout_s,
        per_endpoint_limit=settings.webhook_per_endpoint_limit,
        max_in_flight=settings.webhook_max_in_flight,
        breaker_threshold=settings.webhook_breaker_threshold,
        breaker_cooldown_s=settings.webhook_breaker_cooldown_s,
        lease_s=max(120.0, 4 * settings.webhook_timeout_s),
    )


async def register_env_endpoints(store: EndpointStore, settings: NotifierSettings) -> None:
    """Store each RADAR_WEBHOOK_URLS entry as an endpoint (its id derives from the URL), with
    RADAR_WEBHOOK_SECRET; an endpoint disabled earlier stays disabled."""
    if not settings.webhook_urls or settings.webhook_secret is None:
        return
    secret = settings.webhook_secret.get_secret_value()
    for url in settings.webhook_urls:
        endpoint_id = env_endpoint_id(url)
        known = await store.get(endpoint_id)
        endpoint = Endpoint(
            endpoint_id=endpoint_id,
            url=url,
            secrets=[secret],
            disabled_reason=known.disabled_reason if known else None,
            created_at=known.created_at if known else datetime.now(UTC),
        )
        await store.put(endpoint)


async def deliver_forever(rt: Runtime, deliverer: Deliverer, poll_s: float) -> None:
    """Drain due deliveries until the service stops; then let attempts in progress finish
    (any cut short stay leased in Redis and are attempted again after a restart)."""
    while True:
        try:
            await deliverer.drain_once()
        except RedisError as exc:
            log.warning("redis unavailable for deliveries, retrying", error=str(exc))
        if await rt.sleep(poll_s):
            break
    await deliverer.settle()


def make_setup(settings: NotifierSettings, resolver: Resolver = system_resolver) -> Setup:
    async def setup(rt: Runtime) -> None:
        client = guarded_client(
            policy=settings.target_policy(),
            timeout_s=settings.webhook_timeout_s,
            resolver=resolver,
        )
        rt.on_close(client.aclose)
        metrics = NotifierMetrics(rt.metrics.registry)
        deliverer = Deliverer(
            rt.redis, rt.streams, client, metrics, policy_from(settings), publisher=rt.publisher
        )
        await register_env_endpoints(deliverer.store, settings)

        async def on_alert(event: Envelope[Any], out: Emitter) -> None:
            await deliverer.enqueue(event)

        async def deliveries(rt: Runtime) -> None:
            await deliver_forever(rt, deliverer, settings.webhook_poll_interval_s)

        rt.consume_declared({"on_alert": on_alert})
        rt.task("deliver", deliveries)

    return setup
