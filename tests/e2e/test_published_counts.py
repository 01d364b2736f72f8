"""radar_messages_published_total tells the truth: after the six services have run the sample
feeds end to end as real processes (consume-loop outputs, the scorer's flushes, the alerter's
group flushes, publish-once producers, dead letters from the tagger and the notifier), the
count scraped from their /metrics equals, for every stream, the entries Redis says were added
(XINFO STREAM entries-added, which trimming does not lower; on Redis 6.2 the length, see
tests/support/streams.py)."""

import asyncio
import base64
import json
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis

from radar_runtime import group_stats
from radar_runtime.groups import group_lag
from radar_schemas import Streams

from ..support.processes import running, service_env
from ..support.streams import entries_added as count_added
from ..support.webhook_receivers import scripted_receiver

pytestmark = pytest.mark.e2e
SERVICES = ("news", "earnings", "tagger", "scorer", "alerter", "notifier")
SECRET = "whsec_" + base64.b64encode(b"radar-published-count-secret-012").decode()
QUIET_ROUNDS = 3  # rounds of 1 s with nothing added, nothing pending, nothing held


async def entries_added(redis: Redis, streams: Streams) -> dict[str, int]:
    added = {}
    for name, key in streams.all().items():
        if await redis.exists(key):
            added[name] = await count_added(redis, key)
    return added


def scraped_published(ports: dict[str, int]) -> dict[str, int]:
    """radar_messages_published_total by stream, summed over the services' /metrics."""
    total: Counter[str] = Counter()
    for port in ports.values():
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "radar_messages_published_total":
                    total[sample.labels["stream"]] += int(sample.value)
    return dict(total)


async def settled(redis: Redis, streams: Streams) -> bool:
    """Nothing left to do: every group has read and acked all, no alert is held for its
    group, no webhook delivery waits."""
    for key in streams.all().values():
        for group in await group_stats(redis, key):
            if group.pending or await group_lag(redis, key, group):
                return False
    prefix = streams.prefix
    waiting = [f"{prefix}:groups:wall", f"{prefix}:webhooks:due"]
    return not any([await redis.zcard(key) for key in waiting])


async def quiet_counts(
    redis: Redis, streams: Streams, ports: dict[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """(entries added, published counts) once the pipeline has stayed settled and added
    nothing for QUIET_ROUNDS rounds."""
    quiet, last, counted = 0, dict[str, int](), dict[str, int]()
    while quiet < QUIET_ROUNDS:
        await asyncio.sleep(1)
        before = await entries_added(redis, streams)
        counted = scraped_published(ports)
        after = await entries_added(redis, streams)
        still = before == after == last and await settled(redis, streams)
        quiet, last = (quiet + 1 if still else 0), after
    return last, counted


async def test_published_count_of_every_stream_equals_the_entries_added(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    # Every webhook is refused (400): each alert is dead-lettered by the notifier.
    with scripted_receiver(default_status=400) as receiver, ExitStack() as stack:
        env = service_env(
            redis_url,
            streams.prefix,
            RADAR_MONITOR_INTERVAL_S="0.5",
            RADAR_COALESCE_INTERVAL_S="1",  # the scorer's flush runs every second
            RADAR_WEBHOOK_URLS=json.dumps([receiver.url]),
            RADAR_WEBHOOK_SECRET=SECRET,
            RADAR_ALLOW_PRIVATE_TARGETS="true",
        )
        # Written by the test, not by a service: the tagger dead-letters it (not an envelope).
        await redis.xadd(streams.news, {"event_id": "not an envelope"})
        ports = {
            name: stack.enter_context(running(f"radar_{name}", env, tmp_path / f"{name}.log"))[1]
            for name in SERVICES
        }
        async with asyncio.timeout(150):
            while not (await redis.xlen(streams.alerts) and receiver.requests):
                await asyncio.sleep(0.5)
            added, counted = await quiet_counts(redis, streams, ports)

    added["news"] -= 1  # the test's own entry
    assert set(added) == set(streams.all()), "every stream was written in the run"
    assert all(added.values())
    assert counted == added
