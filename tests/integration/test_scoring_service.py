"""The scorer and alerter on the shared runtime: replicas, replay and redelivery."""

import random
from datetime import UTC, datetime
from typing import Any

import pytest
from redis.asyncio import Redis

from radar_alerter.app import make_setup as alerter_setup
from radar_alerter.replay_end import close_replay
from radar_alerter.settings import AlerterSettings
from radar_runtime import Emitter, Runtime
from radar_schemas import (
    AlertStatus,
    Envelope,
    EventType,
    Sector,
    SectorScored,
    Streams,
    encode,
    new_event,
)
from radar_scorer.app import make_setup as scorer_setup
from radar_scorer.replay_end import close_replay as close_scorer_replay
from radar_scorer.scoring import table
from radar_scorer.settings import ScorerSettings
from radar_scorer.state import ScoreStore
from tests.support.earnings import make_report

from ..support.messages import read_all
from .scoring_helpers import dev_documents, drain, publish_tagged, runtime

FAST: dict[str, Any] = {
    "block_ms": 100,
    "claim_idle_ms": 2000,
    "claim_interval_ms": 500,
    "batch_size": 5,
}
# An allowed lateness longer than the dev set's history: decisions wait for the end.
REPLAY = {"allowed_lateness_s": 20 * 365 * 86400.0, "idle_release_s": 3600.0}


def scorer(
    redis_url: str, prefix: str, redis: Redis, name: str = "c1", **extra: Any
) -> tuple[Runtime, Any]:
    settings = ScorerSettings(
        REDIS_URL=redis_url, stream_prefix=prefix, consumer_name=name, **FAST, **extra
    )
    return runtime("scorer", settings, redis), scorer_setup(settings)


def alerter(
    redis_url: str, prefix: str, redis: Redis, rules: Any = None, **more: Any
) -> tuple[Runtime, Any]:
    extra: dict[str, Any] = {"rules_file": rules} if rules else {}
    extra |= more
    settings = AlerterSettings(
        REDIS_URL=redis_url, stream_prefix=prefix, consumer_name="c1", **FAST, **extra
    )
    return runtime("alerter", settings, redis), alerter_setup(settings)


async def current_table(redis: Redis, prefix: str) -> list[SectorScored]:
    store = ScoreStore(redis, prefix)
    at = await store.newest()
    assert at is not None
    return await table(store, at, ScorerSettings().params())


def counting(rt: Runtime) -> list[int]:
    """Count the entries each of the runtime's consumers handles."""
    counts = [0]
    for consumer in rt.consumers:
        inner = consumer.handler

        async def handler(event: Envelope[Any], out: Emitter, inner: Any = inner) -> None:
            counts[0] += 1
            await inner(event, out)

        consumer.handler = handler
    return counts


async def test_two_scorer_replicas_give_the_same_scores_as_one(
    redis: Redis, redis_url: str, prefix: str
) -> None:
    docs = dev_documents()
    one, two = f"{prefix}:one", f"{prefix}:two"
    for p in (one, two):
        await publish_tagged(redis, Streams(p).tagged, docs)
    await drain(redis, [scorer(redis_url, one, redis)])

    replicas = [scorer(redis_url, two, redis, name) for name in ("c1", "c2")]
    for rt, setup in replicas:
        await setup(rt)
    counts = [counting(rt) for rt, _ in replicas]
    await drain(redis, [(rt, _noop) for rt, _ in replicas])
    assert all(c[0] > 0 for c in counts), counts  # both replicas did part of the work
    assert sum(c[0] for c in counts) >= len(docs)
    assert await current_table(redis, two) == await current_table(redis, one)


async def _noop(rt: Runtime) -> None:
    return None


def payloads(events: list[Any]) -> list[dict[str, Any]]:
    return [e.payload.model_dump(mode="json") for e in events]


def by_fingerprint(events: list[Any]) -> list[dict[str, Any]]:
    """Alerts in notification order per fingerprint (scores and documents are separate
    streams, so alerts of different fingerprints may interleave differently)."""
    return sorted(
        payloads(events), key=lambda a: (a["fingerprint"], a["notification"], a["status"])
    )


async def run_pipeline(redis: Redis, redis_url: str, prefix: str, order: list[int]) -> None:
    """A replay: every input waits for the end (an allowed lateness longer than the dev set's
    history), then the scorer's last intervals close, the alerter reads their updates, and
    its own last window closes."""
    docs = dev_documents()
    await publish_tagged(redis, Streams(prefix).tagged, [docs[i] for i in order])
    config = ScorerSettings(REDIS_URL=redis_url, stream_prefix=prefix, **REPLAY)
    await drain(
        redis,
        [scorer(redis_url, prefix, redis, **REPLAY), alerter(redis_url, prefix, redis, **REPLAY)],
    )
    await close_scorer_replay(redis, config)
    await drain(redis, [alerter(redis_url, prefix, redis, **REPLAY)])
    await close_replay(redis, AlerterSettings(stream_prefix=prefix, **REPLAY))


async def test_replay_gives_the_same_scores_and_alerts_and_no_second_alert(
    redis: Redis, redis_url: str, prefix: str
) -> None:
    order = list(range(len(dev_documents())))
    live, replay = Streams(f"{prefix}:live"), Streams(f"{prefix}:replay")
    await run_pipeline(redis, redis_url, live.prefix, order)
    await run_pipeline(redis, redis_url, replay.prefix, order)
    live_alerts = await read_all(redis, live.alerts)
    assert any(a.payload.status is AlertStatus.FIRING for a in live_alerts)
    assert payloads(await read_all(redis, replay.scores)) == payloads(
        await read_all(redis, live.scores)
    )
    assert by_fingerprint(await read_all(redis, replay.alerts)) == by_fingerprint(live_alerts)
    docs = {d.document_id for d in dev_documents()}
    assert all(set(a.payload.correlation_ids) <= docs for a in live_alerts)

    # The same history replayed into the running system: no score moves, no second alert.
    scores_before = await current_table(redis, live.prefix)
    await run_pipeline(redis, redis_url, live.prefix, order)
    assert by_fingerprint(await read_all(redis, live.alerts)) == by_fingerprint(live_alerts)
    assert await current_table(redis, live.prefix) == scores_before


async def test_shuffled_arrival_gives_the_same_scores(
    redis: Redis, redis_url: str, prefix: str
) -> None:
    order = list(range(len(dev_documents())))
    shuffled = order[:]
    random.Random(5).shuffle(shuffled)
    await run_pipeline(redis, redis_url, f"{prefix}:a", order)
    await run_pipeline(redis, redis_url, f"{prefix}:b", shuffled)
    assert await current_table(redis, f"{prefix}:b") == await current_table(redis, f"{prefix}:a")


def failing_once(rt: Runtime) -> set[str]:
    """Make each handler fail once per entry *after* doing its work (its state is written, its
    outputs are dropped, the entry stays pending): the consume loop delivers it again."""
    failed: set[str] = set()
    for consumer in rt.consumers:
        inner = consumer.handler

        async def handler(event: Envelope[Any], out: Emitter, inner: Any = inner) -> None:
            await inner(event, out)
            if event.event_id not in failed:
                failed.add(event.event_id)
                raise RuntimeError("crash after the state was written")

        consumer.handler = handler
    return failed


async def test_redelivered_entries_change_no_score_and_raise_no_second_alert(
    redis: Redis, redis_url: str, prefix: str
) -> None:
    docs = dev_documents()[:30]
    once, twice = Streams(f"{prefix}:once"), Streams(f"{prefix}:twice")
    for streams in (once, twice):
        await publish_tagged(redis, streams.tagged, docs)
    await drain(
        redis, [scorer(redis_url, once.prefix, redis), alerter(redis_url, once.prefix, redis)]
    )

    runtimes = [scorer(redis_url, twice.prefix, redis), alerter(redis_url, twice.prefix, redis)]
    failed = []
    for rt, setup in runtimes:
        await setup(rt)
        failed.append(failing_once(rt))
    await drain(redis, [(rt, _noop) for rt, _ in runtimes], timeout_s=120)
    assert all(failed), "no entry was redelivered; the test proves nothing"
    assert await current_table(redis, twice.prefix) == await current_table(redis, once.prefix)
    # Redelivered entries publish their updates later, so the order differs; not the content.
    by_time = sorted(payloads(await read_all(redis, twice.scores)), key=_sector_time)
    assert by_time == sorted(payloads(await read_all(redis, once.scores)), key=_sector_time)
    alerts = [a.payload for a in await read_all(redis, twice.alerts)]
    notices = [(a.fingerprint, a.notification, a.status) for a in alerts]
    assert alerts and len(notices) == len(set(notices))  # no notification twice


def _sector_time(row: dict[str, Any]) -> tuple[str, str]:
    return row["sector"], row["as_of"]


@pytest.mark.parametrize(("factor", "ea_score"), [(None, 0.5), (1.0, 1.0)])
async def test_earnings_move_the_sectors_of_the_company(
    redis: Redis, redis_url: str, prefix: str, factor: float | None, ea_score: float
) -> None:
    """A surprise without SUE counts ``earnings_unstandardized_factor`` (default 0.5) of one."""
    streams = Streams(prefix)
    reports = [
        make_report(ticker, report_id=f"r-{ticker}", eps_surprise_pct=pct, sue=sue)
        for ticker, pct, sue in (("EA", 20.0, None), ("NVDA", 5.0, 2.4), ("DEMO1", 50.0, None))
    ]
    for report in reports:
        event = new_event(
            EventType.EARNINGS_REPORTED,
            report,
            producer="test",
            correlation_id=report.report_id,
            occurred_at=datetime(2026, 11, 18, tzinfo=UTC),
        )
        await redis.xadd(streams.earnings, encode(event))  # type: ignore[arg-type]
    extra = {} if factor is None else {"earnings_unstandardized_factor": factor}
    await drain(redis, [scorer(redis_url, prefix, redis, **extra)])
    rows = {row.sector: row for row in await current_table(redis, prefix)}
    assert rows[Sector.GAMING].score == ea_score  # EA, no SUE: 20 % = 2 units × factor × 0.5
    assert rows[Sector.AI_INFRA].score == 1.2  # NVDA: its SUE 2.4 × 0.5
    assert rows[Sector.GAMING].top_contributors[0].document_id == "r-EA"
    assert {len(rows[s].top_contributors) for s in rows} == {1}  # the unknown ticker moves none
