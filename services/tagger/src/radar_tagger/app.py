"""Tagger service: news stream in, tagged stream out."""

from typing import Any

from prometheus_client import CollectorRegistry, Counter

from radar_runtime import Emitter, Runtime, Setup
from radar_schemas import DocumentTagged, Envelope, EventType, NewsItemIngested

from .documents import tag_document
from .loading import build_tagger
from .settings import TaggerSettings


class SignalCounter:
    """Themes found, by theme and polarity (both from fixed sets: the taxonomy's ids)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.signals = Counter(
            "radar_signals",
            "Theme tags emitted, by theme and polarity",
            ["theme", "polarity"],
            registry=registry,
        )
        self.documents = Counter(
            "radar_documents_tagged",
            "Documents tagged, by whether they carry a signal",
            ["relevant"],
            registry=registry,
        )

    def count(self, tagged: DocumentTagged) -> None:
        self.documents.labels(str(tagged.relevant).lower()).inc()
        for tag in tagged.themes:
            self.signals.labels(tag.theme.value, tag.polarity.value).inc()


def make_setup(settings: TaggerSettings) -> Setup:
    # An invalid taxonomy or companies file stops the service at start, naming the entry.
    tagger = build_tagger(
        settings.taxonomy_file,
        settings.companies_file,
        settings.model_file,
        settings.rules_only,
        settings.listings,
    )

    async def setup(rt: Runtime) -> None:
        counter = SignalCounter(rt.metrics.registry)

        async def handle(event: Envelope[Any], out: Emitter) -> None:
            item: NewsItemIngested = event.payload
            tagged = tag_document(tagger, item)
            out.emit(
                rt.streams.tagged, EventType.DOCUMENT_TAGGED, tagged, occurred_at=item.published_at
            )
            counter.count(tagged)

        rt.consume_declared({"on_news": handle})

    return setup
