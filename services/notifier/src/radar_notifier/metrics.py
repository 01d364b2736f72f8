"""Webhook metrics. Labels come from fixed sets (outcome, result); never endpoint ids or URLs."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

OUTCOMES = ("delivered", "retried", "disabled", "rejected", "refused", "exhausted", "dropped")
RESULTS = ("2xx", "3xx", "4xx", "5xx", "timeout", "error", "refused")
_LATENCY_BUCKETS_S = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800, 7200, 36000)


class NotifierMetrics:
    """Deliveries by outcome, attempts by result, latency, disabled endpoints, pending."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.deliveries = Counter(
            "radar_webhook_deliveries",
            "Deliveries that reached an outcome (retried: an attempt failed, another is due)",
            ["outcome"],
            registry=registry,
        )
        self.attempts = Counter(
            "radar_webhook_attempts", "HTTP attempts by result class", ["result"], registry=registry
        )
        self.latency = Histogram(
            "radar_webhook_delivery_latency_seconds",
            "From queuing an alert for an endpoint to its successful delivery",
            buckets=_LATENCY_BUCKETS_S,
            registry=registry,
        )
        self.attempt_seconds = Histogram(
            "radar_webhook_attempt_duration_seconds",
            "Time one HTTP attempt took",
            buckets=_LATENCY_BUCKETS_S[:9],
            registry=registry,
        )
        self.disabled = Counter(
            "radar_webhook_endpoints_disabled", "Endpoints disabled (HTTP 410)", registry=registry
        )
        self.pending = Gauge(
            "radar_webhook_retries_pending",
            "Deliveries waiting for an attempt (first attempts and retries)",
            registry=registry,
        )
        for outcome in OUTCOMES:
            self.deliveries.labels(outcome)
        for result in RESULTS:
            self.attempts.labels(result)


def result_class(status: int | None, error: str, refused: bool) -> str:
    """The attempt's ``result`` label."""
    if refused:
        return "refused"
    if status is None:
        return "timeout" if "timed out" in error or "Timeout" in error else "error"
    return f"{min(status // 100, 5)}xx" if status >= 200 else "error"
