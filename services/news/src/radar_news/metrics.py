"""News ingest metrics, in the runtime's registry. The ``feed`` label takes only the
configured feed names (anything else is counted as ``other``)."""

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_FETCH_BUCKETS_S = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60)


class NewsMetrics:
    """Fetches by outcome, items by kind (new / duplicate / near_duplicate / updated), bytes
    fetched, parse problems and fetch latency, per feed."""

    def __init__(self, registry: CollectorRegistry, feed_names: Iterable[str]) -> None:
        self.feed_names = frozenset(feed_names)
        self.fetches = Counter(
            "radar_news_fetches", "Feed fetches by outcome", ["feed", "outcome"], registry=registry
        )
        self.items = Counter(
            "radar_news_items",
            "Feed items by kind: new, duplicate, near_duplicate, updated",
            ["feed", "kind"],
            registry=registry,
        )
        self.fetched_bytes = Counter(
            "radar_news_fetched_bytes", "Bytes received from feeds", ["feed"], registry=registry
        )
        self.parse_problems = Counter(
            "radar_news_parse_problems",
            "Feed documents parsed with problems (broken XML, wrong encoding, bad entries)",
            ["feed"],
            registry=registry,
        )
        self.fetch_seconds = Histogram(
            "radar_news_fetch_duration_seconds",
            "Time one feed fetch took",
            ["feed"],
            buckets=_FETCH_BUCKETS_S,
            registry=registry,
        )

        self.last_success = Gauge(
            "radar_news_last_success_timestamp_seconds",
            "When a feed was last fetched successfully (200 or 304), Unix time",
            ["feed"],
            registry=registry,
        )

    def feed(self, name: str) -> str:
        """The label value for a feed name."""
        return name if name in self.feed_names else "other"
