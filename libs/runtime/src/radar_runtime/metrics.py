"""The metrics every service exports. Labels come from small fixed sets only:
``stream`` is a logical stream name (news, tagged, ...), never an entry id or a URL."""

from dataclasses import dataclass, field

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
)

_LATENCY_BUCKETS_S = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)


@dataclass
class RuntimeMetrics:
    """Counters, histograms and gauges of the consume loop, in one registry per process."""

    registry: CollectorRegistry = field(
        default_factory=lambda: CollectorRegistry(auto_describe=True)
    )

    def __post_init__(self) -> None:
        reg = self.registry
        ProcessCollector(registry=reg)
        PlatformCollector(registry=reg)
        self.info = Info("radar_service", "The service this process runs", registry=reg)
        self.consumed = Counter(
            "radar_messages_consumed", "Stream entries read by a consumer", ["stream"], registry=reg
        )
        self.processed = Counter(
            "radar_messages_processed", "Entries handled and acknowledged", ["stream"], registry=reg
        )
        self.published = Counter(
            "radar_messages_published",
            "Entries added to a stream, by any writer (counted by emit.Publisher)",
            ["stream"],
            registry=reg,
        )
        self.failed = Counter(
            "radar_messages_failed",
            "Handler failures (the entry stays pending)",
            ["stream"],
            registry=reg,
        )
        self.deadlettered = Counter(
            "radar_messages_deadlettered",
            "Entries moved to the dead-letter stream",
            ["stream", "reason"],
            registry=reg,
        )
        self.claimed = Counter(
            "radar_messages_claimed",
            "Pending entries claimed from an idle or dead consumer",
            ["stream"],
            registry=reg,
        )
        self.commit_errors = Counter(
            "radar_commit_errors",
            "Batches whose outputs could not be published (left pending, retried)",
            ["stream"],
            registry=reg,
        )
        self.loop_errors = Counter(
            "radar_consumer_loop_errors",
            "Errors of a consume loop while reading or claiming; kind: redis_unavailable, "
            "redis_refused, group_missing (each retried), unexpected (the loop stopped)",
            ["stream", "kind"],
            registry=reg,
        )
        self.task_errors = Counter(
            "radar_periodic_task_errors",
            "Failed runs of a periodic task (run again at its next tick), by task kind (the"
            " name before any ':', so one per feed or calendar counts under feed or calendar)",
            ["task"],
            registry=reg,
        )
        self.handler_seconds = Histogram(
            "radar_handler_duration_seconds",
            "Time a handler took for one entry",
            ["stream"],
            buckets=_LATENCY_BUCKETS_S,
            registry=reg,
        )
        self.lag = Gauge(
            "radar_consumer_group_lag",
            "Entries in the stream not yet delivered to the group",
            ["stream", "group"],
            registry=reg,
        )
        self.pending = Gauge(
            "radar_consumer_group_pending",
            "Entries delivered to the group and not yet acknowledged",
            ["stream", "group"],
            registry=reg,
        )
        self.stream_length = Gauge(
            "radar_stream_length", "Entries kept in a stream", ["stream"], registry=reg
        )
        self.trimmed = Counter(
            "radar_stream_trimmed_entries",
            "Entries trimmed after every group acked them",
            ["stream"],
            registry=reg,
        )

    def forget_group(self, stream: str, group: str) -> None:
        """Drop a group's lag and pending series (``stream``: the logical name) until they are
        read again: a figure that cannot be refreshed is removed, never left to go stale."""
        self.lag.remove(stream, group)
        self.pending.remove(stream, group)
