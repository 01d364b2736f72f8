"""Which service reads and writes which stream: one manifest per service, in one table.

Everything else that names streams, ports or tasks is generated from this table or checked
against it: the services' consume loops and periodic tasks (the Runtime refuses undeclared
ones), ``radar up``'s ports, the AsyncAPI document, and (by tests) compose, Kubernetes and the
Prometheus scrape configuration. Pure data: no I/O, nothing here imports a service.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from .envelope import EventType

TASK_PER_ITEM = ":*"  # a task name ending so stands for one task per configured item


@dataclass(frozen=True)
class StreamRead:
    """A stream a service reads as its own consumer group (named after the service), and the
    handler (by name) of each event type on it. Any other event type arriving there is
    dead-lettered at once: it was written by mistake, and retrying will not help."""

    stream: str  # logical name: news, earnings, tagged, scores, alerts, deadletter
    handlers: Mapping[EventType, str]


@dataclass(frozen=True)
class ServiceManifest:
    """One service's place in the topology."""

    name: str
    port: int  # RADAR_HTTP_PORT default: /metrics, /healthz, /readyz
    reads: tuple[StreamRead, ...] = ()
    writes: Mapping[str, tuple[EventType, ...]] = field(default_factory=dict)
    # Work beside the consume loops; ``feed:*`` means one ``feed:<name>`` task per feed.
    tasks: tuple[str, ...] = ()
    # The service's modules that the ``radar`` command may import; no others.
    cli_entry_points: tuple[str, ...] = ()

    @property
    def command(self) -> str:
        """The console script that runs the service (one image, a command each)."""
        return f"radar-{self.name}"

    @property
    def group(self) -> str:
        """The consumer group the service reads every stream as (replicas share it)."""
        return self.name

    def read_of(self, stream: str) -> StreamRead | None:
        return next((read for read in self.reads if read.stream == stream), None)

    def declares_task(self, task: str) -> bool:
        """Whether ``task`` is one of the declared tasks, or one of a per-item family."""
        return any(
            task == declared
            or (
                declared.endswith(TASK_PER_ITEM)
                and task.startswith(declared.removesuffix("*"))
                and len(task) > len(declared) - 1
            )
            for declared in self.tasks
        )


_NEWS = (EventType.NEWS_INGESTED, EventType.NEWS_UPDATED)
_DEAD = (EventType.DEAD_LETTERED,)

MANIFESTS: dict[str, ServiceManifest] = {
    m.name: m
    for m in (
        ServiceManifest(
            name="news",
            port=9101,
            writes={"news": _NEWS},
            tasks=("feed:*",),
            cli_entry_points=(
                "radar_news.adapters.fetch",
                "radar_news.adapters.state",
                "radar_news.domain.feeds",
                "radar_news.domain.parse",
                "radar_news.domain.text",
                "radar_news.ingest",
                "radar_news.settings",
            ),
        ),
        ServiceManifest(
            name="earnings",
            port=9102,
            # Press releases and transcripts go to news too, to be tagged like any article.
            writes={"earnings": (EventType.EARNINGS_REPORTED,), "news": (EventType.NEWS_INGESTED,)},
            tasks=("calendar:*", "documents", "sec"),
            cli_entry_points=(
                "radar_earnings.domain.calendar",
                "radar_earnings.domain.documents",
                "radar_earnings.domain.xbrl",
                "radar_earnings.ingest",
                "radar_earnings.settings",
            ),
        ),
        ServiceManifest(
            name="tagger",
            port=9103,
            reads=(StreamRead("news", {t: "on_news" for t in _NEWS}),),
            writes={"tagged": (EventType.DOCUMENT_TAGGED,), "deadletter": _DEAD},
            cli_entry_points=(
                "radar_tagger.app",
                "radar_tagger.documents",
                "radar_tagger.domain.model",
                "radar_tagger.domain.tagger",
                "radar_tagger.domain.taxonomy",
                "radar_tagger.evaluate",
                "radar_tagger.loading",
                "radar_tagger.offline",
                "radar_tagger.settings",
            ),
        ),
        ServiceManifest(
            name="scorer",
            port=9104,
            reads=(
                StreamRead("tagged", {EventType.DOCUMENT_TAGGED: "on_document"}),
                StreamRead("earnings", {EventType.EARNINGS_REPORTED: "on_earnings"}),
            ),
            writes={"scores": (EventType.SECTOR_SCORED,), "deadletter": _DEAD},
            tasks=("flush",),
            cli_entry_points=(
                "radar_scorer.app",
                "radar_scorer.replay_end",
                "radar_scorer.scoring",
                "radar_scorer.settings",
                "radar_scorer.state",
            ),
        ),
        ServiceManifest(
            name="alerter",
            port=9105,
            reads=(
                StreamRead("scores", {EventType.SECTOR_SCORED: "on_scored"}),
                StreamRead("tagged", {EventType.DOCUMENT_TAGGED: "on_document"}),
                StreamRead("earnings", {EventType.EARNINGS_REPORTED: "on_earnings"}),
            ),
            writes={"alerts": (EventType.ALERT_RAISED,), "deadletter": _DEAD},
            tasks=("flush-groups",),
            cli_entry_points=(
                "radar_alerter.app",
                "radar_alerter.domain.cards",
                "radar_alerter.domain.conditions",
                "radar_alerter.domain.load",
                "radar_alerter.domain.rules",
                "radar_alerter.domain.silences",
                "radar_alerter.groups",
                "radar_alerter.mutes",
                "radar_alerter.replay_end",
                "radar_alerter.settings",
                "radar_alerter.state",
            ),
        ),
        ServiceManifest(
            name="notifier",
            port=9106,
            reads=(StreamRead("alerts", {EventType.ALERT_RAISED: "on_alert"}),),
            # Dead letters from the consume loop and from webhook deliveries given up.
            writes={"deadletter": _DEAD},
            tasks=("deliver",),
            cli_entry_points=(
                "radar_notifier.adapters.queue",
                "radar_notifier.adapters.sender",
                "radar_notifier.adapters.store",
                "radar_notifier.adapters.transport",
                "radar_notifier.delivery",
                "radar_notifier.domain.endpoints",
                "radar_notifier.domain.payloads",
                "radar_notifier.domain.signing",
                "radar_notifier.settings",
            ),
        ),
    )
}
STREAMS = ("news", "earnings", "tagged", "scores", "alerts", "deadletter")


def stream_events(stream: str) -> tuple[EventType, ...]:
    """The event types written to ``stream``, in the enum's order."""
    written = {t for m in MANIFESTS.values() for t in m.writes.get(stream, ())}
    return tuple(t for t in EventType if t in written)


def producers(stream: str) -> tuple[str, ...]:
    """The services that write ``stream``, in table order."""
    return tuple(m.name for m in MANIFESTS.values() if stream in m.writes)


def consumers(stream: str) -> tuple[str, ...]:
    """The services that read ``stream``, each as its own consumer group, in table order."""
    return tuple(m.name for m in MANIFESTS.values() if m.read_of(stream) is not None)


def first_port() -> int:
    """The lowest declared port: ``radar up --http-port-base`` shifts every port by the same."""
    return min(m.port for m in MANIFESTS.values())


def port_span() -> int:
    """How many consecutive ports, from the lowest, the declared ports occupy."""
    return max(m.port for m in MANIFESTS.values()) - first_port() + 1
