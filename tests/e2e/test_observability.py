"""Observability end to end: a real Prometheus server scrapes every service while the pipeline
runs; every service's /metrics passes `promtool check metrics`. (The dashboard and the rules
are checked against a real run in test_dashboard.py.)"""

import asyncio
import base64
import json
import subprocess
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from radar_schemas import Streams

from ..support.processes import running, service_env
from ..support.prometheus import binary, prometheus_server, query
from ..support.receiver import webhook_receiver

pytestmark = pytest.mark.e2e
SERVICES = ("news", "earnings", "tagger", "scorer", "alerter", "notifier")
SECRET = "whsec_" + base64.b64encode(b"radar-observability-test-secret!").decode()


async def test_prometheus_scrapes_scores_alerts_and_lag_from_every_service(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    prometheus, promtool = binary("prometheus"), binary("promtool")
    with webhook_receiver() as receiver, ExitStack() as stack:
        env = service_env(
            redis_url,
            streams.prefix,
            RADAR_MONITOR_INTERVAL_S="0.5",
            RADAR_WEBHOOK_URLS=json.dumps([receiver.url]),
            RADAR_WEBHOOK_SECRET=SECRET,
            RADAR_ALLOW_PRIVATE_TARGETS="true",
        )
        ports = {
            name: stack.enter_context(running(f"radar_{name}", env, tmp_path / f"{name}.log"))[1]
            for name in SERVICES
        }
        url = stack.enter_context(prometheus_server(prometheus, ports, tmp_path))
        async with asyncio.timeout(90):
            while not await redis.xlen(streams.alerts):
                await asyncio.sleep(0.5)
            # Each service's first scrape lands at its own moment: wait for all six to be up.
            while not all(
                query(url, q)
                for q in ("radar_alerts_total", "radar_sector_score", "radar_consumer_group_lag")
            ) or len(query(url, "up == 1")) < len(SERVICES):
                await asyncio.sleep(0.5)
        scores = query(url, "radar_sector_score")
        alerts = query(url, 'sum by (rule, status) (radar_alerts_total{outcome=~"sent|held"})')
        lag = query(url, "radar_consumer_group_lag")
        up = query(url, "up")
        texts = {
            name: httpx.get(f"http://127.0.0.1:{port}/metrics").text for name, port in ports.items()
        }

    assert {s["metric"]["service"]: s["value"][1] for s in up} == dict.fromkeys(SERVICES, "1")
    assert "gaming" in {s["metric"]["sector"] for s in scores}
    assert sum(float(s["value"][1]) for s in alerts) >= 1
    assert {(s["metric"]["stream"], s["metric"]["group"]) for s in lag} >= {
        ("news", "tagger"),
        ("tagged", "scorer"),
        ("scores", "alerter"),
        ("alerts", "notifier"),
    }
    for name, text in texts.items():
        checked = subprocess.run(
            [promtool, "check", "metrics"], input=text, text=True, capture_output=True, check=False
        )
        assert checked.returncode == 0, f"{name}: {checked.stdout}{checked.stderr}"
