"""The scorer's updates on a real Redis, with its periodic flush running: signals coalesced into
one interval and late signals are published by the flush, a quiet sector decays as event time
moves on (and its score alert resolves), and two replicas publish each flushed update once."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from radar_alerter.app import make_setup as alerter_setup
from radar_alerter.settings import AlerterSettings
from radar_runtime import Runtime
from radar_schemas import (
    AlertStatus,
    DocumentTagged,
    Evidence,
    Polarity,
    Sector,
    SectorTag,
    Streams,
    Theme,
    ThemeTag,
)
from radar_scorer.app import Flusher
from radar_scorer.app import make_setup as scorer_setup
from radar_scorer.domain.contributions import document_contributions
from radar_scorer.domain.model import snapshot
from radar_scorer.metrics import SectorGauges
from radar_scorer.settings import ScorerSettings
from radar_scorer.state import ScoreStore

from ..support.messages import read_all
from .scoring_helpers import T0, drain, publish_tagged, runtime

FAST: dict[str, Any] = {
    "block_ms": 100,
    "claim_idle_ms": 2000,
    "claim_interval_ms": 500,
    "batch_size": 5,
}
INTERVAL_S = 1.0  # one second of event time per coalescing interval, and a flush every second
THEMES = {
    Sector.GAMING: Theme.AI_GAMING,
    Sector.FILM_TV: Theme.AI_FILM_TV,
    Sector.AI_INFRA: Theme.AI_HARDWARE,
}
RULES = """
repeat_interval_s: 3600
group_wait_s: 0
rules:
  - {name: score_high, kind: threshold, metric: score, fire_above: 1.0, resolve_below: 0.5}
"""
Setup = Callable[[Runtime], Awaitable[None]]


def doc(document_id: str, sector: Sector, at: datetime, confidence: float = 0.8) -> DocumentTagged:
    """A positive document about one sector, moving it by ``confidence``."""
    sentence = f"{document_id}: studios ship AI features"
    theme = ThemeTag(
        theme=THEMES[sector],
        polarity=Polarity.POSITIVE,
        confidence=confidence,
        evidence=(Evidence(sentence=sentence, start=0, end=len(sentence)),),
    )
    return DocumentTagged(
        document_id=document_id,
        source="test",
        title=sentence,
        published_at=at,
        themes=(theme,),
        sectors=(SectorTag(sector=sector, relevance=1.0),),
        relevant=True,
        taxonomy_version="1",
        tagger_version="test",
    )


def settings(redis_url: str, prefix: str, name: str = "c1", **extra: Any) -> ScorerSettings:
    return ScorerSettings(
        REDIS_URL=redis_url,
        stream_prefix=prefix,
        consumer_name=name,
        coalesce_interval_s=INTERVAL_S,
        **FAST,
        **extra,
    )


def scorer(redis: Redis, config: ScorerSettings) -> tuple[Runtime, Setup]:
    return runtime("scorer", config, redis), scorer_setup(config)


def flusher(redis: Redis, config: ScorerSettings) -> Flusher:
    """A scorer replica's flush, on a runtime of its own."""
    rt = runtime("scorer", config, redis)
    store = ScoreStore(redis, config.stream_prefix, config.coalesce_interval_s)
    return Flusher(rt, store, config.params(), SectorGauges(rt.metrics.registry))


@asynccontextmanager
async def serving(runtimes: list[tuple[Runtime, Setup]]) -> AsyncIterator[None]:
    """Each runtime's consumers and tasks (the scorer's flush among them) running, as the
    service host runs them, until the block ends."""
    for rt, setup in runtimes:
        await setup(rt)
    work = [asyncio.create_task(c.run()) for rt, _ in runtimes for c in rt.consumers]
    work += [asyncio.create_task(task(rt)) for rt, _ in runtimes for _, task in rt.tasks]
    try:
        yield
    finally:
        for rt, _ in runtimes:
            rt.stopping.set()
            for consumer in rt.consumers:
                consumer.stop()
        await asyncio.gather(*work)


async def until(check: Callable[[], Awaitable[bool]], timeout_s: float = 30) -> None:
    async with asyncio.timeout(timeout_s):
        while not await check():
            await asyncio.sleep(0.1)


async def flushed(redis: Redis, streams: Streams) -> list[Any]:
    """The updates the flush published (those from a signal carry the signal's event id)."""
    return [e for e in await read_all(redis, streams.scores) if e.causation_id is None]


def expected_score(
    docs: list[DocumentTagged], sector: Sector, at: datetime, **params: Any
) -> float:
    shares = [document_contributions(d, {})[sector] for d in docs]
    return round(snapshot(shares, at, ScorerSettings(**params).params()).score, 6)


async def test_signals_in_one_interval_and_late_ones_are_published_by_the_flush(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    watermark = T0 + timedelta(milliseconds=300)
    first, second = doc("g1", Sector.GAMING, T0), doc("g2", Sector.GAMING, watermark, 0.6)
    config = settings(redis_url, streams.prefix)
    async with serving([scorer(redis, config)]):
        await publish_tagged(redis, streams.tagged, [first, second])
        await until(lambda: _has_flushed(redis, streams))
    updates = await read_all(redis, streams.scores)
    by_signal = [e.payload for e in updates if e.causation_id is not None]
    assert [(u.as_of, u.signals, u.score) for u in by_signal] == [(T0, 1, 0.8)]  # g1 opened it
    (flush,) = await flushed(redis, streams)
    assert flush.occurred_at == flush.payload.as_of == watermark
    assert flush.payload.signals == 2
    assert flush.payload.score == expected_score([first, second], Sector.GAMING, watermark)
    assert {c.document_id for c in flush.payload.top_contributors} == {"g1", "g2"}
    assert flush.correlation_id == "g2" and flush.producer == "scorer"

    # A replay of the same documents changes nothing and is not published again.
    await publish_tagged(redis, streams.tagged, [first, second])
    await drain(redis, [scorer(redis, config)])
    again = flusher(redis, config)
    assert await again.flush() == 0
    assert len(await read_all(redis, streams.scores)) == len(updates)

    # A late document (older than the interval already published) shows at the watermark.
    late = doc("g0", Sector.GAMING, T0 - timedelta(minutes=10), 0.5)
    await publish_tagged(redis, streams.tagged, [late])
    await drain(redis, [scorer(redis, config)])
    assert len(await read_all(redis, streams.scores)) == len(updates)  # no update of its own
    assert await again.flush() == 1
    newest = (await flushed(redis, streams))[-1]
    assert newest.payload.as_of == watermark and newest.payload.signals == 3
    assert newest.payload.score == expected_score([late, first, second], Sector.GAMING, watermark)
    assert newest.correlation_id == "g2"  # the newest document, not the last to arrive
    assert await again.flush() == 0


async def _has_flushed(redis: Redis, streams: Streams) -> bool:
    return bool(await flushed(redis, streams))


async def test_a_quiet_sector_decays_as_event_time_moves_and_its_alert_resolves(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    hour = {"half_life_s": 3600}
    replicas = [
        scorer(redis, settings(redis_url, streams.prefix, name, **hour)) for name in ("c1", "c2")
    ]
    alerter_config = AlerterSettings(
        REDIS_URL=redis_url,
        stream_prefix=streams.prefix,
        consumer_name="c1",
        rules_file=rules,
        **FAST,
    )
    alerter = (runtime("alerter", alerter_config, redis), alerter_setup(alerter_config))
    gaming = [
        doc("g1", Sector.GAMING, T0),
        doc("g2", Sector.GAMING, T0 + timedelta(minutes=1)),
    ]
    later = T0 + timedelta(hours=3)
    async with serving([*replicas, alerter]):
        await publish_tagged(redis, streams.tagged, gaming)
        await until(lambda: _alerted(redis, streams, AlertStatus.FIRING))
        # Only another sector's news from now on: event time moves three half-lives on.
        await publish_tagged(redis, streams.tagged, [doc("f1", Sector.FILM_TV, later)])
        await until(lambda: _alerted(redis, streams, AlertStatus.RESOLVED))
        await asyncio.sleep(3 * INTERVAL_S)  # further flushes of both replicas, if any

    fired, resolved = [a.payload for a in await read_all(redis, streams.alerts)]
    assert fired.status is AlertStatus.FIRING and fired.score is not None and fired.score > 1.5
    (flush,) = await flushed(redis, streams)  # one update, whichever replica won the flush
    assert flush.payload.sector is Sector.GAMING and flush.payload.as_of == later
    decayed = expected_score(gaming, Sector.GAMING, later, **hour)
    assert flush.payload.score == decayed < 0.5  # below the rule's resolve bound
    assert flush.payload.signals == 2 and flush.correlation_id == "g2"
    assert resolved.status is AlertStatus.RESOLVED and resolved.fingerprint == fired.fingerprint
    assert resolved.ends_at == later and resolved.score == decayed
    assert set(resolved.correlation_ids) == {"g1", "g2"}


async def _alerted(redis: Redis, streams: Streams, status: AlertStatus) -> bool:
    return any(a.payload.status is status for a in await read_all(redis, streams.alerts))


async def test_two_replicas_publish_each_flushed_update_once(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    config = settings(redis_url, streams.prefix)
    ms = timedelta(milliseconds=1)
    docs = [
        doc("g1", Sector.GAMING, T0),
        doc("g2", Sector.GAMING, T0 + 200 * ms),  # the same interval as g1: no update of its own
        doc("f1", Sector.FILM_TV, T0 + 500 * ms),  # the watermark; its own update covers it
        doc("a1", Sector.AI_INFRA, T0 - timedelta(hours=1)),  # an hour behind the watermark
    ]
    await publish_tagged(redis, streams.tagged, docs)
    await drain(redis, [scorer(redis, config)])
    one, two = flusher(redis, config), flusher(redis, config)

    # Both replicas find the same updates due; the second to publish finds them taken.
    due_one, due_two = await one.due(), await two.due()
    assert [f.scored.sector for f in due_one] == [Sector.AI_INFRA, Sector.GAMING]
    assert [f.scored for f in due_two] == [f.scored for f in due_one]
    assert await one.publish(due_one) == 2
    assert await two.publish(due_two) == 0
    assert list(await asyncio.gather(one.flush(), two.flush())) == [0, 0]

    await publish_tagged(redis, streams.tagged, [doc("g3", Sector.GAMING, T0 + 400 * ms)])
    await drain(redis, [scorer(redis, config)])
    assert sum(await asyncio.gather(one.flush(), two.flush())) == 1

    watermark = T0 + 500 * ms
    rows = [
        (e.payload.sector, e.payload.as_of, e.payload.signals)
        for e in await flushed(redis, streams)
    ]
    assert rows == [
        (Sector.AI_INFRA, watermark, 1),
        (Sector.GAMING, watermark, 2),
        (Sector.GAMING, watermark, 3),
    ]
    ai_infra = (await flushed(redis, streams))[0].payload
    assert ai_infra.score == expected_score(docs[3:], Sector.AI_INFRA, watermark) < 0.8
