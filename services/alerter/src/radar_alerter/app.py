"""Alerter service: scores, tagged documents and earnings reports in, alerts out."""

import time

from prometheus_client import Counter

from radar_reference import load_companies
from radar_runtime import Runtime, Setup

from .engine import Alerter
from .replay_end import rules_of
from .settings import AlerterSettings
from .timeline import timing_of


def make_setup(settings: AlerterSettings) -> Setup:
    rules = rules_of(settings)  # an invalid file or bound fails at start

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

        timing = timing_of(settings, rt.metrics.registry)
        alerter = Alerter(
            rt.redis,
            settings.stream_prefix,
            rules,
            load_companies(),
            count=count,
            timing=timing,
            publisher=rt.publisher,
        )

        async def flush_groups() -> int:
            await alerter.timeline.release()  # the watermark, or everything once idle
            return await alerter.groups.flush_due(wall_ms=int(time.time() * 1000))

        rt.consume_declared(
            {
                "on_scored": alerter.on_scored,
                "on_document": alerter.on_document,
                "on_earnings": alerter.on_earnings,
            }
        )
        rt.every("flush-groups", settings.group_flush_interval_s, flush_groups)

    return setup
