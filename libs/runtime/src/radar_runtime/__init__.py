"""The runtime every Radar service shares: settings, logging, metrics, health endpoints,
the consume loop (batch read, ack with outputs, claim, dead-letter), embedded Redis and
a process supervisor."""

from .consumer import Handler, StreamConsumer
from .deadletters import Failure, dead_letter_entry
from .embedded_redis import EmbeddedRedis, find_redis_server
from .emit import Emitter, Publisher
from .groups import drained, ensure_group, group_stats, trim_acked
from .logs import configure_logging, redact
from .metrics import RuntimeMetrics
from .netguard import InvalidTarget, TargetPolicy, TargetRefused, guarded_client, normalise_url
from .redis_client import connect
from .service import Runtime, Setup, build_app, run_service
from .settings import RuntimeSettings

__all__ = [
    "EmbeddedRedis",
    "Emitter",
    "Failure",
    "Handler",
    "InvalidTarget",
    "Publisher",
    "Runtime",
    "RuntimeMetrics",
    "RuntimeSettings",
    "Setup",
    "StreamConsumer",
    "TargetPolicy",
    "TargetRefused",
    "build_app",
    "configure_logging",
    "connect",
    "dead_letter_entry",
    "drained",
    "ensure_group",
    "find_redis_server",
    "group_stats",
    "guarded_client",
    "normalise_url",
    "redact",
    "run_service",
    "trim_acked",
]
