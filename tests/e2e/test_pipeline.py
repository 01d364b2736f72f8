"""The whole pipeline: `radar up` runs all six services as real processes against a real
Redis; an item of the bundled sample feed ends as an alert on the alerts stream and at a
local webhook receiver, carrying the item's correlation id."""

import asyncio
import base64
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from redis.asyncio import Redis

from radar_news.domain.feeds import load_feeds
from radar_news.domain.parse import parse_feed
from radar_news.settings import SAMPLES_DIR
from radar_schemas import AlertStatus, Streams

from ..support.messages import read_all
from ..support.processes import ROOT, service_env
from ..support.receiver import webhook_receiver

pytestmark = pytest.mark.e2e
SECRET = "whsec_" + base64.b64encode(b"radar-e2e-test-secret-0123456789").decode()
SAMPLE_REPORT = "AMCX:2025-03-30:calendar"  # report id of the sample calendar's row


def sample_item_ids() -> set[str]:
    (feed,) = load_feeds(SAMPLES_DIR / "feeds.yaml")
    items = parse_feed(Path(feed.url).read_bytes(), feed, datetime.now(UTC))
    return {item.item_id for item in items}


def processes_with(marker: str) -> list[int]:
    """Pids of live processes whose environment contains ``marker``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                stat = (proc / "stat").read_text()
                if ") Z " not in stat:  # zombies hold no resources
                    found.append(int(proc.name))
        except OSError:
            continue
    return found


def verify_signature(headers: dict[str, str], body: bytes) -> bool:
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return f"v1,{expected}" in headers["webhook-signature"].split(" ")


async def test_sample_feed_item_becomes_an_alert_and_a_signed_webhook(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    with webhook_receiver() as receiver:
        env = service_env(
            redis_url,
            streams.prefix,
            RADAR_WEBHOOK_URLS=json.dumps([receiver.url]),
            RADAR_WEBHOOK_SECRET=SECRET,
            RADAR_ALLOW_PRIVATE_TARGETS="true",
        )
        up = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "radar_cli.main",
                "up",
                "--http-port-base",
                "0",
                "--state-dir",
                str(tmp_path),
                "--no-tail",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            async with asyncio.timeout(60):
                while not (await redis.xlen(streams.alerts) and receiver.requests):
                    assert up.poll() is None, up.stdout.read().decode()  # type: ignore[union-attr]
                    await asyncio.sleep(0.2)
            assert processes_with(streams.prefix), "no service process found by its environment"
        finally:
            up.send_signal(signal.SIGINT)
            output = up.communicate(timeout=60)[0].decode()
    assert up.returncode == 0, output
    assert "notifier exit 0" in output and "tagger exit 0" in output

    alerts = await read_all(redis, streams.alerts)
    firing = [a for a in alerts if a.payload.status is AlertStatus.FIRING]
    from_feed = [a for a in firing if a.correlation_id in sample_item_ids()]
    assert from_feed and set(from_feed[0].payload.correlation_ids) <= sample_item_ids()
    # The sample calendar's one real report (AMC Networks' EPS miss) raises its own alert.
    sources = sample_item_ids() | {SAMPLE_REPORT}
    assert {a.correlation_id for a in firing} <= sources

    request = receiver.requests[0]
    assert verify_signature(request.headers, request.body)
    body = json.loads(request.body)
    assert body["type"] == "alert.raised"
    assert body["data"]["correlation_id"] in sources
    assert request.headers["webhook-id"] in {a.event_id for a in alerts}

    await asyncio.sleep(0.5)
    assert processes_with(streams.prefix) == [], "a process outlived radar up"


def test_radar_up_as_make_run_starts_its_own_redis_in_a_relative_state_dir(
    tmp_path: Path,
) -> None:
    """`make run`: no REDIS_URL, the default relative state directory, the sample feeds."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL" and not k.startswith("RADAR_")}
    # 20 s: long enough that every service has started (and handles SIGTERM) before the stop,
    # even when the suite's other worker loads the machine (8 s once stopped three services
    # still importing, exit -15)
    command = ["radar_cli.main", "up", "--http-port-base", "0", "--duration", "20", "--no-tail"]
    up = subprocess.run(
        [sys.executable, "-m", *command],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = up.stdout + up.stderr
    assert up.returncode == 0, output
    assert "started redis-server" in output and "news exit 0" in output
    assert (tmp_path / ".radar" / "redis" / "redis.log").exists()
    data = tmp_path / ".radar" / "redis"  # the append-only file: a directory from Redis 7
    assert (data / "appendonly.aof").exists() or list((data / "appendonlydir").iterdir())
