"""Alerter service: scores, tagged documents and earnings reports in, alerts out."""

import time

from prometheus_client import Counter

from radar_reference import load_companies
from radar_runtime import Runtime, Setup

from .domain.load import load_rules, with_score_thresholds
from .engine import Alerter
from .settings import AlerterSettings


def make_setup(settings: AlerterSettings) -> Setup:
    rules = with_score_thresholds(
        load_rules(settings.rules_file), settings.score_fire_above, settings.score_resolve_below
    )  # an invalid file or bound fails at start

    async def setup(rt: Runtime) -> None:
        decided = Counter(
            "radar_alerts_total",
            "Alert notifications decided, by rule, severity, status and outcome"
            " (sent, held for group_wait, redelivered, muted)",
            ["rule", "severity", "status", "outcome"],
            registry=rt.metrics.registry,
        )

        def count(rule: str, severity: str, status: str, outcome: str) -> None:
            decided.labels(rule, severity, status, outcome).inc()

        alerter = Alerter(
            rt.redis,
            settings.stream_prefix,
            rules,
            load_companies(),
            count=count,
            publisher=rt.publisher,
        )

        async def flush_groups() -> int:
            return await alerter.groups.flush_due(wall_ms=int(time.time() * 1000))

        rt.consume(rt.streams.scores, alerter.on_scored)
        rt.consume(rt.streams.tagged, alerter.on_document)
        rt.consume(rt.streams.earnings, alerter.on_earnings)
        rt.every("flush-groups", settings.group_flush_interval_s, flush_groups)

    return setup
