"""Replaying the same tagged documents into the real scorer and alerter in different arrival
orders, each run under a prefix of its own, and comparing the alerts they raise.

The documents are the dev set's real news, ingested (story chains) and tagged once in
event-time order; only their arrival at the scorer and alerter is reordered, so a difference
between runs is the scorer's and alerter's doing."""

import random
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from redis.asyncio import Redis

from radar_alerter.app import make_setup as alerter_setup
from radar_alerter.groups import GroupBuffer
from radar_alerter.settings import AlerterSettings
from radar_news.adapters.state import NewsState
from radar_news.ingest import Ingest
from radar_runtime import RuntimeMetrics, RuntimeSettings
from radar_runtime.service import Runtime
from radar_schemas import AlertRaised, Streams, decode
from radar_scorer.app import make_setup as scorer_setup
from radar_scorer.replay_end import close_replay as close_scorer_replay
from radar_scorer.settings import ScorerSettings
from radar_tagger.app import make_setup as tagger_setup
from radar_tagger.settings import TaggerSettings

from ..support.messages import read_all
from .scoring_helpers import drain, runtime
from .test_cards_replay import FAST, FETCHED, dev_items

Entry = dict[str, str]
Release = Callable[[Redis, str], Awaitable[None]]


async def tagged_entries(redis: Redis, redis_url: str, prefix: str) -> list[Entry]:
    """The dev set's news through news ingest and the tagger, in event-time order: the
    tagged stream's entries (fields as stored)."""
    base = {"REDIS_URL": redis_url, "stream_prefix": prefix, "consumer_name": "c1", **FAST}
    items = sorted(dev_items(), key=lambda i: (i.published_at, i.item_id))
    news = Runtime("news", RuntimeSettings(**base), redis, RuntimeMetrics())
    await Ingest(news, NewsState(redis, prefix, 3600)).ingest(items, FETCHED)
    tagger = TaggerSettings(**base)
    await drain(redis, [(runtime("tagger", tagger, redis), tagger_setup(tagger))], timeout_s=120)
    raw: Any = await redis.xrange(Streams(prefix).tagged)
    return [dict(fields) for _, fields in raw]


def orders(entries: list[Entry], seeds: list[int]) -> dict[str, list[Entry]]:
    """File order (the order of dev.jsonl), event-time order, and one shuffle per seed."""
    position = {item.item_id: n for n, item in enumerate(dev_items())}

    def item_of(entry: Entry) -> str:
        return str(decode(entry).payload.document_id)

    def event_time(entry: Entry) -> tuple[datetime, str]:
        return decode(entry).occurred_at, entry["event_id"]

    runs = {
        "file": sorted(entries, key=lambda e: position.get(item_of(e), len(position))),
        "time": sorted(entries, key=event_time),
    }
    for seed in seeds:
        shuffled = list(entries)
        random.Random(seed).shuffle(shuffled)
        runs[f"shuffle-{seed}"] = shuffled
    return runs


async def alerts_of(
    redis: Redis,
    redis_url: str,
    prefix: str,
    entries: list[Entry],
    settings: dict[str, Any],
    release: Release | None = None,
) -> list[AlertRaised]:
    """``entries`` into the tagged stream in this order, through the scorer and the alerter
    (``settings`` added to both: their allowed lateness, idle release), then the end of the
    replay: the scorer's last intervals closed, the alerter reading the updates that closed
    them, ``release`` and the groups still held for group_wait; the alerts raised, in stream
    order."""
    base = {"REDIS_URL": redis_url, "stream_prefix": prefix, "consumer_name": "c1", **FAST}
    streams = Streams(prefix)
    for fields in entries:
        await redis.xadd(streams.tagged, fields)  # type: ignore[arg-type]
    scorer, alerter = ScorerSettings(**base, **settings), AlerterSettings(**base, **settings)
    await drain(
        redis,
        [
            (runtime("scorer", scorer, redis), scorer_setup(scorer)),
            (runtime("alerter", alerter, redis), alerter_setup(alerter)),
        ],
        timeout_s=120,
    )
    if release is not None:
        await close_scorer_replay(redis, scorer)
        await drain(redis, [(runtime("alerter", alerter, redis), alerter_setup(alerter))])
        await release(redis, prefix)
    await GroupBuffer(redis, prefix, streams.alerts).flush_due(wall_ms=2**62)
    return [e.payload for e in await read_all(redis, streams.alerts)]


def comparable(alerts: list[AlertRaised]) -> list[dict[str, Any]]:
    """What an analyst reads of each notification (not the envelope's ids or emit time),
    sorted so that the order alerts were published in does not count."""
    rows = [a.model_dump(mode="json") for a in alerts]
    return sorted(rows, key=lambda r: (r["starts_at"], r["rule"], r["fingerprint"], str(r)))


async def score_updates(redis: Redis, prefix: str) -> list[dict[str, Any]]:
    """The scorer's updates as published (payload, and the event time and newest signal the
    envelope carries), in stream order."""
    return [
        {**e.payload.model_dump(mode="json"), "at": str(e.occurred_at), "of": e.correlation_id}
        for e in await read_all(redis, Streams(prefix).scores)
    ]
