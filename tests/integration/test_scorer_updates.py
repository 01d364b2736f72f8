"""The scorer's updates on a real Redis: one per sector and closed interval of event time, at
the interval's end, once the watermark has passed it (or the feed went idle, or the replay was
closed); a late signal is counted and shown by the next update; a quiet sector decays as event
time moves on (and its score alert resolves, with the periodic release running)."""

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
from radar_scorer.app import make_setup as scorer_setup
from radar_scorer.domain.contributions import document_contributions
from radar_scorer.domain.model import snapshot
from radar_scorer.replay_end import close_replay
from radar_scorer.settings import ScorerSettings

from ..support.messages import read_all
from .scoring_helpers import T0, drain, publish_tagged, runtime

FAST: dict[str, Any] = {
    "block_ms": 100,
    "claim_idle_ms": 2000,
    "claim_interval_ms": 500,
    "batch_size": 5,
}
INTERVAL_S = 1.0  # one second of event time per coalescing interval
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


async def rows(redis: Redis, streams: Streams) -> list[tuple[Sector, datetime, int]]:
    """Each update's sector, as_of and signal count, in stream order."""
    updates = [e.payload for e in await read_all(redis, streams.scores)]
    return [(u.sector, u.as_of, u.signals) for u in updates]


def expected_score(
    docs: list[DocumentTagged], sector: Sector, at: datetime, **params: Any
) -> float:
    shares = [document_contributions(d, {})[sector] for d in docs]
    return round(snapshot(shares, at, ScorerSettings(**params).params()).score, 6)


async def test_an_interval_is_published_at_its_end_once_the_watermark_passes_it(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    ms, s = timedelta(milliseconds=1), timedelta(seconds=1)
    config = settings(redis_url, streams.prefix, allowed_lateness_s=2.0, idle_release_s=3600)
    first, second = doc("g1", Sector.GAMING, T0 + 100 * ms), doc("g2", Sector.GAMING, T0 + s, 0.6)
    film = doc("f1", Sector.FILM_TV, T0 + 1500 * ms)
    await publish_tagged(redis, streams.tagged, [second, film, first])
    await drain(redis, [scorer(redis, config)])
    assert await rows(redis, streams) == []  # newest 1.5 s - 2 s lateness: nothing closed

    third = doc("g3", Sector.GAMING, T0 + 3200 * ms)
    await publish_tagged(redis, streams.tagged, [third])
    await drain(redis, [scorer(redis, config)])
    (update,) = await read_all(redis, streams.scores)  # watermark 1.2 s: (0 s, 1 s] closed
    assert update.occurred_at == update.payload.as_of == T0 + s  # g2 at the end is in it
    assert update.payload.signals == 2 and update.correlation_id == "g2"
    assert update.causation_id is None and update.producer == "scorer"
    assert update.payload.score == expected_score([first, second], Sector.GAMING, T0 + s)
    assert {c.document_id for c in update.payload.top_contributors} == {"g1", "g2"}

    # The end of the replay closes the rest; gaming had no signal in (1 s, 2 s]: no update.
    assert await close_replay(redis, config) == 2
    expected = [
        (Sector.GAMING, T0 + s, 2),
        (Sector.FILM_TV, T0 + 2 * s, 1),
        (Sector.GAMING, T0 + 4 * s, 3),
    ]
    assert await rows(redis, streams) == expected

    # A replay of the same documents changes nothing and is not published again.
    await publish_tagged(redis, streams.tagged, [first, second, film, third])
    await drain(redis, [scorer(redis, config)])
    assert await close_replay(redis, config) == 0
    assert await rows(redis, streams) == expected


async def test_a_late_signal_is_counted_and_shown_by_the_next_update(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    s = timedelta(seconds=1)
    config = settings(redis_url, streams.prefix, allowed_lateness_s=0, idle_release_s=3600)
    on_time = [doc("g1", Sector.GAMING, T0 + s), doc("f1", Sector.FILM_TV, T0 + 4.5 * s)]
    await publish_tagged(redis, streams.tagged, on_time)
    await drain(redis, [scorer(redis, config)])
    assert await rows(redis, streams) == [(Sector.GAMING, T0 + s, 1)]  # closed by f1

    late = doc("g0", Sector.GAMING, T0 - timedelta(minutes=10), 0.5)
    rt = runtime("scorer", config, redis)
    await publish_tagged(redis, streams.tagged, [late])
    await drain(redis, [(rt, scorer_setup(config))])
    counted = rt.metrics.registry.get_sample_value(
        "radar_scorer_late_signals_total", {"sector": "gaming"}
    )
    assert counted == 1
    # Released up to g1's interval (1 s): the late signal waits for the next one, (1 s, 2 s],
    # which the watermark (4.5 s) has passed: published at once; f1's at the end.
    assert await close_replay(redis, config) == 1
    updates = [e.payload for e in await read_all(redis, streams.scores)]
    assert [(u.sector, u.as_of, u.signals) for u in updates] == [
        (Sector.GAMING, T0 + s, 1),
        (Sector.GAMING, T0 + 2 * s, 2),
        (Sector.FILM_TV, T0 + 5 * s, 1),
    ]
    both = expected_score([late, on_time[0]], Sector.GAMING, T0 + 2 * s)
    assert updates[1].score == both


async def _alerted(redis: Redis, streams: Streams, status: AlertStatus) -> bool:
    return any(a.payload.status is status for a in await read_all(redis, streams.alerts))


async def test_a_quiet_sector_decays_as_event_time_moves_and_its_alert_resolves(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    quick = {"half_life_s": 3600, "allowed_lateness_s": 0, "idle_release_s": 1}
    replicas = [
        scorer(redis, settings(redis_url, streams.prefix, name, **quick)) for name in ("c1", "c2")
    ]
    alerter_config = AlerterSettings(
        REDIS_URL=redis_url,
        stream_prefix=streams.prefix,
        consumer_name="c1",
        rules_file=rules,
        idle_release_s=1,
        **FAST,
    )
    alerter = (runtime("alerter", alerter_config, redis), alerter_setup(alerter_config))
    minute = timedelta(minutes=1)
    gaming = [doc("g1", Sector.GAMING, T0), doc("g2", Sector.GAMING, T0 + minute)]
    later = T0 + timedelta(hours=3)
    async with serving([*replicas, alerter]):
        await publish_tagged(redis, streams.tagged, gaming)
        await until(lambda: _alerted(redis, streams, AlertStatus.FIRING))
        # Only another sector's news from now on: event time moves three half-lives on.
        await publish_tagged(redis, streams.tagged, [doc("f1", Sector.FILM_TV, later)])
        await until(lambda: _alerted(redis, streams, AlertStatus.RESOLVED))
        await asyncio.sleep(3 * INTERVAL_S)  # further releases of both replicas, if any

    fired, resolved = [a.payload for a in await read_all(redis, streams.alerts)]
    assert fired.status is AlertStatus.FIRING and fired.score is not None and fired.score > 1.5
    # Each update once, whichever replica released it (no lateness: a signal at an interval's
    # end closes it at once); gaming's own, then its decay at f1's.
    assert await rows(redis, streams) == [
        (Sector.GAMING, T0, 1),
        (Sector.GAMING, T0 + minute, 2),
        (Sector.FILM_TV, later, 1),
        (Sector.GAMING, later, 2),
    ]
    decay = [e for e in await read_all(redis, streams.scores) if e.payload.as_of == later][-1]
    decayed = expected_score(gaming, Sector.GAMING, later, half_life_s=3600)
    assert decay.payload.score == decayed < 0.5  # below the rule's resolve bound
    assert decay.correlation_id == "g2"
    assert resolved.status is AlertStatus.RESOLVED and resolved.fingerprint == fired.fingerprint
    assert resolved.ends_at == later and resolved.score == decayed
    assert set(resolved.correlation_ids) == {"g1", "g2"}
