"""Scorer and alerter tests: real dev-set documents as DocumentTagged (labels from the gold
annotations, so the tests do not depend on the tagger), and services run in-process on the
shared runtime until their streams are drained."""

import asyncio
import functools
import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from radar_reference import ReferenceData, load_companies
from radar_runtime import Runtime, RuntimeMetrics, drained
from radar_schemas import (
    DocumentTagged,
    EntityTag,
    EventType,
    Evidence,
    Polarity,
    Sector,
    SectorTag,
    Theme,
    ThemeTag,
    encode,
    new_event,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)
DEV_SET = Path(__file__).parents[1] / "fixtures" / "eval" / "dev.jsonl"


@functools.cache
def reference() -> ReferenceData:
    return load_companies()


def entity(name: str) -> EntityTag:
    """A gold entity (ticker or private-company id) with its sectors from the reference data."""
    reference_data = reference()
    record = reference_data.by_ticker.get(name.upper()) or reference_data.by_id.get(name.lower())
    sectors = record.sectors if record else ()
    return EntityTag(entity_id=name, name=name, relevance=1.0, sectors=sectors)


@functools.cache
def dev_documents(spacing_h: float = 2.0) -> tuple[DocumentTagged, ...]:
    """The dev set's documents, tagged with their gold labels, published ``spacing_h`` apart."""
    docs = []
    for index, line in enumerate(DEV_SET.read_text(encoding="utf-8").splitlines()):
        row: dict[str, Any] = json.loads(line)
        gold, text = row["gold"], row["text"] or row["title"]
        sentence = text.split(". ")[0][:500]
        themes = tuple(
            ThemeTag(
                theme=Theme(theme),
                polarity=Polarity(polarities[0]),
                confidence=0.8,
                evidence=(Evidence(sentence=sentence, start=0, end=len(sentence)),),
            )
            for theme, polarities in sorted(gold["themes"].items())
        )
        docs.append(
            DocumentTagged(
                document_id=f"dev-{row['id']}",
                source="dev",
                title=row["title"] or sentence[:100],
                url=row["source"] if str(row["source"]).startswith("http") else None,
                published_at=T0 + timedelta(hours=spacing_h * index),
                themes=themes,
                entities=tuple(entity(e) for e in gold["entities"]),
                sectors=tuple(SectorTag(sector=Sector(s), relevance=1.0) for s in gold["sectors"]),
                relevant=bool(themes),
                taxonomy_version="1",
                tagger_version="gold",
            )
        )
    return tuple(docs)


async def publish_tagged(redis: Redis, stream: str, docs: Sequence[DocumentTagged]) -> None:
    """XADD each document as a DocumentTagged event, in the given order."""
    async with redis.pipeline(transaction=False) as pipe:
        for doc in docs:
            event = new_event(
                EventType.DOCUMENT_TAGGED,
                doc,
                producer="test",
                correlation_id=doc.document_id,
                occurred_at=doc.published_at,
            )
            pipe.xadd(stream, encode(event))  # type: ignore[arg-type]
        await pipe.execute()


Setup = Callable[[Runtime], Awaitable[None]]


async def drain(redis: Redis, runtimes: list[tuple[Runtime, Setup]], timeout_s: float = 60) -> None:
    """Start each runtime's consumers (after its setup) and stop them once every group has
    read and acknowledged everything in its streams."""
    for rt, setup in runtimes:
        await setup(rt)
    consumers = [c for rt, _ in runtimes for c in rt.consumers]
    tasks = [asyncio.create_task(c.run()) for c in consumers]
    try:
        async with asyncio.timeout(timeout_s):
            while not await drained(redis, consumers):
                await asyncio.sleep(0.05)
    finally:
        for consumer in consumers:
            consumer.stop()
        await asyncio.gather(*tasks)


def runtime(name: str, settings: Any, redis: Redis) -> Runtime:
    """A Runtime as run_service builds it, without the HTTP server."""
    return Runtime(name=name, settings=settings, redis=redis, metrics=RuntimeMetrics())
