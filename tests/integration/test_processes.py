"""The runtime in real service processes: a consumer killed with SIGKILL, a graceful SIGTERM."""

import asyncio
import signal
from collections import Counter
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis

from radar_schemas import Streams

from ..support.messages import publish_news, read_all
from ..support.processes import running, service_env

ECHO = "tests.support.echo_service"


def scrape(port: int) -> dict[str, dict[tuple[str, ...], float]]:
    """GET /metrics, parsed: sample name → label values → value."""
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    samples: dict[str, dict[tuple[str, ...], float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sample.labels.values())] = sample.value
    return samples


async def wait_for(predicate, timeout_s: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout_s):
        while not await predicate():
            await asyncio.sleep(0.05)


async def output_ids(redis: Redis, streams: Streams) -> list[str]:
    return [e.correlation_id for e in await read_all(redis, streams.tagged)]


async def test_pending_entries_of_a_killed_consumer_are_processed_by_another(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    # Enough entries that the consumer is far from its last batch when it is killed (with 40,
    # a slow poll could see the last batch pending just before it was acknowledged).
    ids = await publish_news(redis, streams.news, 100)
    env = service_env(
        redis_url,
        streams.prefix,
        ECHO_DELAY_S="0.05",
        RADAR_BATCH_SIZE="10",
        RADAR_CLAIM_IDLE_MS="1000",
        RADAR_CLAIM_INTERVAL_MS="200",
    )
    with running(ECHO, {**env, "RADAR_CONSUMER_NAME": "a"}, tmp_path / "a.log") as (first, _):

        async def holding_some() -> bool:
            # Frozen with SIGSTOP before the check, the consumer cannot acknowledge its batch
            # between the check and the kill (a poll that saw the batch's last entry pending
            # could otherwise kill a consumer that had just acknowledged everything it held).
            first.send_signal(signal.SIGSTOP)
            await asyncio.sleep(0.02)  # a command written just before the stop reaches Redis
            pending = await redis.xpending(streams.news, "echo")
            if pending["pending"] > 0 and await redis.xlen(streams.tagged) > 0:
                return True
            first.send_signal(signal.SIGCONT)
            return False

        await wait_for(holding_some)
        first.send_signal(signal.SIGKILL)
        first.wait()
    stranded = (await redis.xpending(streams.news, "echo"))["pending"]
    assert stranded > 0, "the killed consumer held no pending entries; the test proves nothing"
    with running(ECHO, {**env, "RADAR_CONSUMER_NAME": "b"}, tmp_path / "b.log") as (_, port):

        async def all_done() -> bool:
            pending = (await redis.xpending(streams.news, "echo"))["pending"]
            return pending == 0 and await redis.xlen(streams.tagged) >= len(ids)

        await wait_for(all_done)
        metrics = scrape(port)
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
    assert metrics["radar_messages_claimed_total"][("news",)] >= stranded
    assert metrics["radar_messages_processed_total"][("news",)] >= stranded
    assert metrics["radar_messages_published_total"][("tagged",)] >= stranded
    out = await output_ids(redis, streams)
    assert sorted(out) == sorted(ids)  # every entry once: the killed batch never committed


async def test_sigterm_mid_stream_loses_nothing_and_duplicates_nothing(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    ids = await publish_news(redis, streams.news, 300)
    env = service_env(
        redis_url,
        streams.prefix,
        ECHO_DELAY_S="0.005",
        RADAR_BATCH_SIZE="20",
        RADAR_CONSUMER_NAME="only",
    )
    with running(ECHO, env, tmp_path / "first.log") as (process, _):

        async def midway() -> bool:
            return await redis.xlen(streams.tagged) >= 40

        await wait_for(midway)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    done_at_stop = await redis.xlen(streams.tagged)
    assert done_at_stop < len(ids), "the service finished before SIGTERM; the test proves nothing"
    assert (await redis.xpending(streams.news, "echo"))["pending"] == 0  # in-flight batch acked
    with running(ECHO, env, tmp_path / "second.log"):

        async def finished() -> bool:
            return await redis.xlen(streams.tagged) >= len(ids)

        await wait_for(finished)
        await asyncio.sleep(0.5)  # anything processed twice would show up now
    out = await output_ids(redis, streams)
    assert Counter(out) == Counter(ids)
