"""Tagger service: news stream in, tagged stream out."""

from typing import Any

from radar_reference import load_companies
from radar_runtime import Emitter, Runtime, Setup
from radar_schemas import Envelope, EventType, NewsItemIngested

from .documents import tag_document
from .domain.tagger import Tagger
from .domain.taxonomy import load_taxonomy
from .settings import TaggerSettings


def make_setup(settings: TaggerSettings) -> Setup:
    tagger = Tagger(
        load_taxonomy(settings.taxonomy_file), load_companies(settings.companies_file)
    )  # invalid file: fail at start

    async def handle(event: Envelope[Any], out: Emitter) -> None:
        item: NewsItemIngested = event.payload
        tagged = tag_document(tagger, item)
        out.emit(
            rt_streams.tagged, EventType.DOCUMENT_TAGGED, tagged, occurred_at=item.published_at
        )

    rt_streams = settings.streams

    async def setup(rt: Runtime) -> None:
        rt.consume(rt.streams.news, handle)

    return setup
