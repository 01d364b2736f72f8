"""``radar webhooks``: add, list, remove, rotate-secret, test and recover webhook endpoints.

Endpoints live in Redis, where the notifier reads them. A generated secret is printed once,
when it is created, and never logged."""

import argparse
import json
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from radar_notifier.adapters.queue import DeliveryQueue
from radar_notifier.adapters.sender import post_signed
from radar_notifier.adapters.store import EndpointStore
from radar_notifier.adapters.transport import guarded_client
from radar_notifier.delivery import SERVICE
from radar_notifier.domain.endpoints import (
    Endpoint,
    PayloadFormat,
    new_endpoint_id,
    rotated,
    signing_secrets,
)
from radar_notifier.domain.payloads import ping_body
from radar_notifier.domain.signing import SecretError, check_secret, new_secret
from radar_notifier.settings import NotifierSettings
from radar_runtime import RuntimeSettings
from radar_runtime.netguard import TargetRefused, TargetSettings
from radar_schemas import EventType, SchemaError, Severity, decode, new_event_id

from . import connection
from .arguments import non_negative_hours
from .commands import CommandError
from .labels import check_sector, unknown_rules
from .tail import start_id

Command = Callable[[argparse.Namespace, EndpointStore, Any], Awaitable[int]]


def register(subparsers: Any) -> None:
    """Add ``radar webhooks …`` to the command line."""
    hooks = subparsers.add_parser("webhooks", help="webhook endpoints").add_subparsers(
        dest="webhooks", required=True
    )
    add = hooks.add_parser("add", help="register an endpoint (prints its secret once)")
    add.add_argument("url")
    add.add_argument("--secret", help="whsec_… (default: a new random secret)")
    add.add_argument("--sector", action="append", default=[], help="only this sector (repeat)")
    add.add_argument("--rule", action="append", default=[], help="only this rule (repeat)")
    add.add_argument("--min-severity", choices=[s.value for s in Severity], default="info")
    add.add_argument("--format", choices=[f.value for f in PayloadFormat], default="standard")
    add.set_defaults(run=_runner(_add))
    listing = hooks.add_parser("list", help="endpoints, without secrets")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=_runner(_list))
    remove = hooks.add_parser("remove", help="delete an endpoint")
    remove.add_argument("endpoint_id")
    remove.set_defaults(run=_runner(_remove))
    rotate = hooks.add_parser("rotate-secret", help="new secret; the old one signs for a while")
    rotate.add_argument("endpoint_id")
    rotate.add_argument("--grace-hours", type=non_negative_hours, default=24.0)
    rotate.set_defaults(run=_runner(_rotate))
    test = hooks.add_parser("test", help="send a signed webhook.test event now")
    test.add_argument("endpoint_id")
    test.set_defaults(run=_runner(_test))
    recover = hooks.add_parser("recover", help="deliver dead-lettered webhooks again")
    recover.add_argument("--since", required=True, help="ISO time (with zone) or stream id")
    recover.add_argument("--endpoint", help="only this endpoint")
    recover.set_defaults(run=_runner(_recover))


def _runner(command: Command) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        target = connection.target()
        prefix = connection.settings(RuntimeSettings, target).stream_prefix

        async def main(redis: Any) -> int:
            return await command(args, EndpointStore(redis, prefix), redis)

        return connection.run(main, target)  # Redis failures: one line, exit 1

    return run


async def _add(args: argparse.Namespace, store: EndpointStore, redis: Any) -> int:
    secret = args.secret or new_secret()
    try:
        for sector in args.sector:
            check_sector(sector)
    except ValueError as exc:
        raise CommandError(f"--sector: {exc}") from None
    for rule in unknown_rules(args.rule):
        print(f"radar: note: {rule!r} is not a rule of the bundled rules file", file=sys.stderr)
    try:
        check_secret(secret)
        endpoint = Endpoint(
            endpoint_id=new_endpoint_id(),
            url=args.url,
            secrets=[secret],
            sectors=args.sector,
            rules=args.rule,
            min_severity=Severity(args.min_severity),
            payload_format=PayloadFormat(args.format),
            created_at=datetime.now(UTC),
        )
        TargetSettings().target_policy().check_url(endpoint.url)
    except TargetRefused as exc:
        raise CommandError(f"webhook URL refused: {exc}") from None
    except (SecretError, ValidationError) as exc:
        raise CommandError(_first_error(exc)) from None
    await store.put(endpoint)
    print(f"added {endpoint.endpoint_id} → {_safe_url(endpoint.url)}")
    if not args.secret:
        print(f"secret (shown once, keep it now): {secret}")
    return 0


async def _list(args: argparse.Namespace, store: EndpointStore, redis: Any) -> int:
    endpoints = await store.all()
    if not endpoints and not args.json:
        print("radar: no webhook endpoints (radar webhooks add URL)", file=sys.stderr)
    for endpoint in endpoints:
        row = endpoint.model_dump(mode="json", exclude={"secrets"})
        row["url"] = _safe_url(endpoint.url)
        if args.json:
            print(json.dumps(row))
            continue
        state = f"disabled ({endpoint.disabled_reason})" if endpoint.disabled_reason else "enabled"
        only = ",".join(endpoint.sectors + endpoint.rules) or "all"
        print(
            f"{endpoint.endpoint_id}  {state:<10} {endpoint.payload_format.value:<12} "
            f"min={endpoint.min_severity.value:<8} only={only}  {row['url']}"
        )
    return 0


async def _remove(args: argparse.Namespace, store: EndpointStore, redis: Any) -> int:
    if not await store.remove(args.endpoint_id):
        raise CommandError(f"no endpoint {args.endpoint_id}")
    print(f"removed {args.endpoint_id}")
    return 0


async def _rotate(args: argparse.Namespace, store: EndpointStore, redis: Any) -> int:
    endpoint = await _get(store, args.endpoint_id)
    secret = new_secret()
    now = datetime.now(UTC)
    await store.put(rotated(endpoint, secret, now, grace_s=args.grace_hours * 3600))
    print(
        f"rotated {endpoint.endpoint_id}; the previous secret signs too for {args.grace_hours:g} h"
    )
    print(f"new secret (shown once, keep it now): {secret}")
    return 0


async def _test(args: argparse.Namespace, store: EndpointStore, redis: Any) -> int:
    endpoint = await _get(store, args.endpoint_id)
    try:
        settings = NotifierSettings()
    except ValidationError as exc:
        raise CommandError(f"notifier settings: {_first_error(exc)}") from None
    msg_id = f"test_{new_event_id()}"
    now = datetime.now(UTC)
    body = ping_body(endpoint.payload_format, msg_id, now)
    client = guarded_client(policy=settings.target_policy(), timeout_s=settings.webhook_timeout_s)
    async with client:
        attempt = await post_signed(
            client,
            endpoint.url,
            signing_secrets(endpoint, now),  # as the notifier signs: no expired secret
            msg_id,
            body,
            timeout_s=settings.webhook_timeout_s,
        )
    ok = attempt.status is not None and 200 <= attempt.status < 300
    print(f"{endpoint.endpoint_id}: {'ok, HTTP ' + str(attempt.status) if ok else attempt.error}")
    return 0 if ok else 1


async def _recover(args: argparse.Namespace, store: EndpointStore, redis: Any) -> int:
    """Queue dead-lettered deliveries since a time again, for endpoints still enabled."""
    try:
        since = start_id(args.since)
    except ValueError as exc:
        raise CommandError(str(exc).replace("--from", "--since")) from None
    prefix = store.key.rsplit(":webhooks:", 1)[0]
    queue, deadletter = DeliveryQueue(redis, prefix), f"{prefix}:deadletter"
    endpoints = {e.endpoint_id: e for e in await store.all() if e.enabled}
    queued = skipped = 0
    for _, fields in await redis.xrange(deadletter, min=since if since != "$" else "+"):
        original = _webhook_original(fields, args.endpoint)
        if original is None:
            continue
        endpoint_id, event_fields = original
        if endpoint_id not in endpoints:
            skipped += 1
            continue
        queued += await queue.enqueue(endpoint_id, event_fields, time.time())
    print(f"queued {queued} deliveries again; skipped {skipped} (endpoint removed or disabled)")
    return 0


def _webhook_original(
    fields: dict[str, str], only: str | None
) -> tuple[str, dict[str, str]] | None:
    """(endpoint id, alert fields) of a notifier dead letter, else None."""
    try:
        event = decode(fields)
    except SchemaError:
        return None
    record = event.payload
    if event.event_type is not EventType.DEAD_LETTERED or record.service != SERVICE:
        return None
    endpoint_id = record.entry_id.removeprefix("webhook:")
    if endpoint_id == record.entry_id or (only and endpoint_id != only):
        return None
    return endpoint_id, dict(record.original)


async def _get(store: EndpointStore, endpoint_id: str) -> Endpoint:
    try:
        endpoint = await store.get(endpoint_id)
    except ValidationError as exc:
        raise CommandError(f"endpoint {endpoint_id} is unreadable: {_first_error(exc)}") from None
    if endpoint is None:
        raise CommandError(f"no endpoint {endpoint_id}")
    return endpoint


def _safe_url(url: str) -> str:
    """The URL without credentials or query (either may carry a token)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        # a validator's own ValueError: its words, without pydantic's "Value error, "
        cause = (error.get("ctx") or {}).get("error")
        message = str(cause) if isinstance(cause, ValueError) else error["msg"]
        return f"{'.'.join(str(p) for p in error['loc'])}: {message}"
    return str(exc)
