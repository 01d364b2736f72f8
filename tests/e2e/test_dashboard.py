"""The Grafana dashboard and the Prometheus rules against what the services really expose.

All six services run as processes on the sample input (and copies of it dated two and
three days earlier, a baseline for z), with bad entries waiting on two streams before they
start (dead-lettered in their first batch, before Prometheus first
scrapes them) and a webhook endpoint that rejects every delivery (dead letters from the
notifier). A real Prometheus scrapes them and evaluates deploy/prometheus/rules.yml. Then:
every panel's queries return series, every selector in a panel or a rule matches series,
every label a query, legend or annotation names is on them, every series the promtool
tests feed the rules exists with those labels, and the "Dead letters" panel counts what
radar:deadletter holds, by service, stream and reason."""

import asyncio
import base64
import json
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from redis.asyncio import Redis

from radar_news.domain.feeds import load_feeds
from radar_news.domain.parse import parse_feed
from radar_news.settings import SAMPLES_DIR
from radar_schemas import EventType, NewsItemIngested, Streams, encode, new_event

from ..support.messages import read_all
from ..support.processes import ROOT, running, service_env
from ..support.prometheus import binary, prometheus_server, query
from ..support.promql import Selector, legend_labels, references, template_labels
from ..support.receiver import webhook_receiver

pytestmark = pytest.mark.e2e
SERVICES = ("news", "earnings", "tagger", "scorer", "alerter", "notifier")
DASHBOARD = ROOT / "deploy/grafana/dashboards/radar.json"
RULES = ROOT / "deploy/prometheus/rules.yml"
RULE_TESTS = ROOT / "tests/fixtures/deploy/rules_test.yml"
DEAD_LETTERS_PANEL = "Dead letters in the last hour"
BAD_ENTRIES = {"news": 3, "tagged": 2}  # tagged is read by the scorer and the alerter
SECRET = "whsec_" + base64.b64encode(b"radar-dashboard-test-secret-0123").decode()


def earlier_sample_items(days_back: tuple[int, ...] = (2, 3)) -> list[NewsItemIngested]:
    """The sample feed's items as if published days earlier: the sectors' history, so that
    the scorer has a baseline and exports z (the sample feed alone spans less than a day)."""
    (feed,) = load_feeds(SAMPLES_DIR / "feeds.yaml")
    items = parse_feed(Path(feed.url).read_bytes(), feed, datetime.now(UTC))
    return [
        item.model_copy(
            update={
                "item_id": f"{item.item_id}-{days}d",
                "story_id": None,
                "published_at": item.published_at - timedelta(days=days),
            }
        )
        for days in days_back
        for item in items
    ]


async def write_backlog(redis: Redis, streams: Streams) -> None:
    """Entries waiting before the services start: earlier news, and bad entries."""
    for item in earlier_sample_items():
        event = new_event(
            EventType.NEWS_INGESTED,
            item,
            producer="test",
            correlation_id=item.item_id,
            occurred_at=item.published_at,
        )
        await redis.xadd(streams.news, encode(event))  # type: ignore[arg-type]
    for stream, count in BAD_ENTRIES.items():
        for index in range(count):
            await redis.xadd(streams.key(stream), {"junk": f"not an envelope {index}"})


def panel_queries() -> Iterator[tuple[str, str, str]]:
    """(panel title, expression, legend format) of every query of the dashboard."""
    for panel in json.loads(DASHBOARD.read_text())["panels"]:
        for target in panel["targets"]:
            yield panel["title"], target["expr"], target.get("legendFormat", "")


def rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def labels_of(url: str, selector: Selector) -> set[str] | None:
    """The label names on the series ``selector`` matches; None when it matches none."""
    series = query(url, selector.text)
    return {label for s in series for label in s["metric"]} if series else None


def check_expression(url: str, where: str, expression: str, labels: set[str]) -> list[str]:
    """Problems of one expression: selectors matching nothing, labels on none of them."""
    refs = references(expression)
    problems, seen = [], set()
    for selector in refs.selectors:
        found = labels_of(url, selector)
        if found is None:
            problems.append(
                f"{where} queries {selector.text}: no series match (no service exposes it)"
            )
        seen |= found or set()
    metrics = sorted({s.metric for s in refs.selectors})
    for label in sorted(
        labels | refs.grouping_labels | {x for s in refs.selectors for x in s.labels}
    ):
        if seen and label not in seen:
            problems.append(f"{where} uses label {label!r}, on none of {metrics}")
    return problems


def check_panels(url: str) -> list[str]:
    problems = []
    for title, expression, legend in panel_queries():
        where = f"panel {title!r}"
        problems += check_expression(url, where, expression, legend_labels(legend))
        result = query(url, expression)
        if not result:
            problems.append(f"{where}: {expression} returns nothing")
        for label in sorted(legend_labels(legend)):
            if any(label not in s["metric"] for s in result):
                problems.append(f"{where}: legend label {label!r} missing from its series")
    return problems


def check_rules(url: str) -> list[str]:
    problems = []
    for rule in rules():
        where = f"rule {rule.get('alert') or rule.get('record')}"
        named = {x for text in rule.get("annotations", {}).values() for x in template_labels(text)}
        problems += check_expression(url, where, rule["expr"], named)
        if "record" in rule and not query(url, rule["record"]):
            problems.append(f"{where}: recorded nothing")
    return problems


def check_rule_test_series(url: str) -> list[str]:
    """The series the promtool tests feed the rules exist, with those labels, in a real run."""
    problems = []
    for case in yaml.safe_load(RULE_TESTS.read_text())["tests"]:
        for series in case["input_series"]:
            (selector,) = references(series["series"]).selectors
            found = labels_of(url, Selector(selector.metric, selector.metric, frozenset()))
            if found is None:
                problems.append(f"{case['name']!r} feeds {selector.metric}: not exposed")
            elif not selector.labels <= found:
                extra = sorted(selector.labels - found)
                problems.append(f"{case['name']!r} gives {selector.metric} labels {extra}")
    return problems


async def dead_letters(redis: Redis, streams: Streams) -> dict[tuple[str, str, str], float]:
    """radar:deadletter counted by (service, logical stream, reason)."""
    counted: dict[tuple[str, str, str], float] = {}
    for event in await read_all(redis, streams.deadletter):
        record = event.payload
        key = (record.service, streams.logical_name(record.stream), record.reason)
        counted[key] = counted.get(key, 0) + 1
    return counted


def panel_dead_letters(url: str) -> dict[tuple[str, str, str], float]:
    """The panel's non-zero series (the notifier's outcomes exist at 0 from its start)."""
    (expression,) = [e for title, e, _ in panel_queries() if title == DEAD_LETTERS_PANEL]
    shown = {
        tuple(s["metric"].get(k, "") for k in ("service", "stream", "reason")): float(s["value"][1])
        for s in query(url, expression)
    }
    return {key: value for key, value in shown.items() if value}


async def settle(redis: Redis, streams: Streams, url: str, receiver: Any) -> None:
    """Until alerts went out and were rejected, every service is up and scraped three
    times (rate() needs two samples), and the dead-letters panel counts what the stream
    holds (both move while deliveries are rejected)."""
    while True:
        stored = await dead_letters(redis, streams)
        if (
            receiver.requests
            and any(service == "notifier" for service, _, _ in stored)
            and len(query(url, 'count_over_time(up{job="radar"}[1m]) >= 3')) == len(SERVICES)
            and len(query(url, 'up{job="radar"} == 1')) == len(SERVICES)
            and panel_dead_letters(url) == stored
        ):
            return
        await asyncio.sleep(0.5)


@pytest.mark.timeout(240)  # six services and Prometheus on a shared 2-core machine
async def test_every_panel_and_rule_queries_series_the_services_expose(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    prometheus = binary("prometheus")
    await write_backlog(redis, streams)
    with webhook_receiver() as receiver, ExitStack() as stack:
        receiver.status = 400  # every delivery rejected: dead-lettered by the notifier
        env = service_env(
            redis_url,
            streams.prefix,
            RADAR_MONITOR_INTERVAL_S="0.5",
            RADAR_WEBHOOK_URLS=json.dumps([receiver.url]),
            RADAR_WEBHOOK_SECRET=SECRET,
            RADAR_ALLOW_PRIVATE_TARGETS="true",
            RADAR_BASELINE_MIN_SIGNALS="1",  # the earlier copies are the baseline
            RADAR_BASELINE_MIN_DAYS="1",
        )
        ports = {
            name: stack.enter_context(running(f"radar_{name}", env, tmp_path / f"{name}.log"))[1]
            for name in SERVICES
        }
        url = stack.enter_context(prometheus_server(prometheus, ports, tmp_path, [RULES]))
        try:
            async with asyncio.timeout(150):
                await settle(redis, streams, url, receiver)
        except TimeoutError:
            stored, shown = await dead_letters(redis, streams), panel_dead_letters(url)
            pytest.fail(f"dead letters: radar:deadletter holds {stored}, the panel shows {shown}")
        stored = await dead_letters(redis, streams)
        problems = check_panels(url) + check_rules(url) + check_rule_test_series(url)

    assert not problems, "\n".join(problems)
    invalid = {k: v for k, v in stored.items() if k[2] == "invalid"}
    assert invalid == {("tagger", "news", "invalid"): 3} | {
        (service, "tagged", "invalid"): 2 for service in ("scorer", "alerter")
    }
    assert stored[("notifier", "alerts", "rejected")] >= 1
