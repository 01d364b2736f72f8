"""One publish path: every way a service adds stream entries goes through the runtime's
Publisher, and radar_messages_published_total equals what Redis says was added."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from radar_alerter.groups import GroupBuffer
from radar_news.adapters.state import Known, NewsState, Record
from radar_notifier.adapters.queue import Delivery, DeliveryQueue
from radar_runtime import Emitter, Failure, Publisher, Runtime, RuntimeMetrics, dead_letter_entry
from radar_runtime.scripts import LuaScript, ParsedScript
from radar_schemas import DeadLettered, EventType, Streams, decode, encode
from radar_scorer.app import Flusher
from radar_scorer.app import make_setup as scorer_setup
from radar_scorer.metrics import SectorGauges
from radar_scorer.settings import ScorerSettings
from radar_scorer.state import ScoreStore

from ..support.messages import news_event, publish_news, read_all, settings_for
from ..support.streams import entries_added
from .scoring_helpers import T0, dev_documents, drain, publish_tagged, runtime
from .test_consumer import run_until

ROOT = Path(__file__).resolve().parents[2]
ADD_TWO = LuaScript.load(__package__, "add_two.lua")


def published(metrics: RuntimeMetrics, stream: str) -> float:
    value = metrics.registry.get_sample_value("radar_messages_published_total", {"stream": stream})
    return value or 0.0


async def test_entries_are_counted_by_stream_and_a_foreign_key_as_other(
    redis: Redis, streams: Streams
) -> None:
    metrics = RuntimeMetrics()
    publisher = Publisher(redis, metrics, streams)
    event = news_event(1)
    foreign = f"{streams.prefix}:x"
    ids = await publisher.add(
        [(streams.news, encode(event)), (streams.news, encode(event)), (foreign, {"a": "1"})]
    )
    assert len(ids) == 3
    assert published(metrics, "news") == 2 == await redis.xlen(streams.news)
    assert published(metrics, "other") == 1


async def test_publish_once_adds_each_key_once_and_counts_what_it_added(
    redis: Redis, streams: Streams
) -> None:
    metrics = RuntimeMetrics()
    rt = Runtime("earnings", settings_for("redis://unused", streams.prefix), redis, metrics)
    events = [("k1", news_event(1)), ("k2", news_event(2)), ("k1", news_event(3))]
    assert await rt.publish_once(streams.news, events, ttl_s=60) == 2
    assert await rt.publish_once(streams.news, events, ttl_s=60) == 0
    assert published(metrics, "news") == 2 == await entries_added(redis, streams.news)
    assert [e.correlation_id for e in await read_all(redis, streams.news)] == ["n-1", "n-2"]


async def test_a_script_that_adds_entries_runs_only_through_the_publisher(
    redis: Redis, streams: Streams
) -> None:
    with pytest.raises(TypeError, match=r"Publisher\.run"):
        await ADD_TWO.bind(redis)(keys={"stream": streams.news}, args={"value": "x"})
    assert await redis.exists(streams.news) == 0

    metrics = RuntimeMetrics()
    publisher = Publisher(redis, metrics, streams)
    reply = await publisher.run(ADD_TWO, keys={"stream": streams.news}, args={"value": "x"})
    assert reply["note"] == "two"
    assert published(metrics, "news") == 2 == await redis.xlen(streams.news)


def test_a_script_that_only_mentions_xadd_in_a_comment_is_not_a_publisher() -> None:
    source = "-- KEYS: stream\n-- ARGV: n\n-- never XADD here\nreturn redis.call('XLEN', KEYS[1])\n"
    assert not ParsedScript.parse("len.lua", source).publishes
    assert ParsedScript.parse(
        "add.lua", source + "-- x\nredis.call('xadd', KEYS[1], '*', 'a', 1)\n"
    ).publishes


def test_every_script_in_the_tree_that_adds_entries_reports_them() -> None:
    """Publisher.run counts a script's ``added`` table: a script that says XADD must return it."""
    scripts = [*(ROOT / "libs").rglob("*.lua"), *(ROOT / "services").rglob("*.lua")]
    publishing = [p for p in scripts if ParsedScript.parse(p.name, p.read_text()).publishes]
    assert {p.name for p in publishing} >= {"commit.lua", "publish_once.lua", "flush.lua"}
    for path in publishing:
        assert "cjson.encode({added" in path.read_text(), path


async def test_consume_loop_outputs_and_dead_letters_are_counted(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    await publish_news(redis, streams.news, 5)
    await redis.xadd(streams.news, {"event_id": "not an envelope"})
    metrics = RuntimeMetrics()
    rt = Runtime("test", settings_for(redis_url, streams.prefix), redis, metrics)

    async def copy(event: Any, out: Emitter) -> None:
        out.emit(streams.tagged, EventType.NEWS_INGESTED, event.payload, occurred_at=T0)

    rt.consume(streams.news, copy, group="g")

    async def settled() -> bool:
        return await redis.exists(streams.deadletter) == 1 and await redis.xlen(streams.tagged) == 5

    await run_until(rt.consumers[0], settled)
    assert published(metrics, "tagged") == 5 == await entries_added(redis, streams.tagged)
    assert published(metrics, "deadletter") == 1 == await entries_added(redis, streams.deadletter)


async def test_scorer_flush_is_counted(redis: Redis, redis_url: str, streams: Streams) -> None:
    config = ScorerSettings(REDIS_URL=redis_url, stream_prefix=streams.prefix)
    await publish_tagged(redis, streams.tagged, dev_documents()[:4])
    scorer = runtime("scorer", config, redis)
    await drain(redis, [(scorer, scorer_setup(config))])
    folded = published(scorer.metrics, "scores")
    rt = runtime("scorer", config, redis)
    store = ScoreStore(redis, streams.prefix, config.coalesce_interval_s, publisher=rt.publisher)
    flusher = Flusher(rt, store, config.params(), SectorGauges(rt.metrics.registry))
    flushed = await flusher.flush(everything=True)  # the last intervals, as a replay's end
    assert flushed >= 1
    assert published(rt.metrics, "scores") == flushed
    assert folded + flushed == await entries_added(redis, streams.scores)


async def test_news_ingest_script_is_counted(redis: Redis, prefix: str, streams: Streams) -> None:
    metrics = RuntimeMetrics()
    state = NewsState(redis, prefix, 3600, publisher=Publisher(redis, metrics, streams))
    records = [Record(f"i{n}", Known(f"d{n}", f"s{n}", 100), None, True) for n in range(3)]
    entries = [{"event_id": f"i{n}", "data": "{}"} for n in range(3)]
    now = datetime.now(UTC)
    assert await state.publish(streams.news, entries, records, now) == 3
    assert await state.publish(streams.news, entries, records, now) == 0
    assert published(metrics, "news") == 3 == await entries_added(redis, streams.news)


async def test_alert_group_flush_is_counted(redis: Redis, streams: Streams) -> None:
    metrics = RuntimeMetrics()
    buffer = GroupBuffer(
        redis, streams.prefix, streams.alerts, publisher=Publisher(redis, metrics, streams)
    )
    for identity in ("a1", "a2"):
        await buffer.hold(
            "sector=gaming",
            identity,
            {"event_id": identity, "data": "{}"},
            opens=True,
            at=T0,
            due=T0 + timedelta(seconds=30),
            wall_due_ms=10**15,
        )
    assert await buffer.flush_due(event_time=T0 + timedelta(minutes=1)) == 2
    assert published(metrics, "alerts") == 2 == await entries_added(redis, streams.alerts)


async def test_notifier_dead_letter_is_the_runtime_record_and_is_counted(
    redis: Redis, streams: Streams
) -> None:
    metrics = RuntimeMetrics()
    queue = DeliveryQueue(redis, streams.prefix, publisher=Publisher(redis, metrics, streams))
    alert = encode(news_event(7))
    assert await queue.enqueue("ep1", alert, now=0.0)
    (delivery,) = await queue.claim(1.0, lease_s=60, limit=5)
    failure = Failure(streams.alerts, "notifier", "webhook:ep1", "notifier", "rejected", "400", 1)
    entry = dead_letter_entry(
        streams, failure, delivery.event_fields, original_event_id=alert["event_id"]
    )
    await queue.finish(delivery, dead_letter=entry)
    await queue.finish(Delivery("ep1:gone", "ep1", {}, 0, 0.0))  # forgotten, nothing added
    assert await queue.get(delivery.delivery_id) is None and await queue.pending() == 0
    assert published(metrics, "deadletter") == 1 == await entries_added(redis, streams.deadletter)
    (dead,) = [decode(f) for _, f in await redis.xrange(streams.deadletter)]
    record: DeadLettered = dead.payload
    assert record.original == alert and record.reason == "rejected"
    assert dead.causation_id == alert["event_id"] == record.original_event_id


def test_the_dead_letter_record_bounds_its_error_and_original() -> None:
    streams = Streams("p")
    failure = Failure("p:news", "g", "1-0", "tagger", "failed", "x" * 10_000, 3)
    stream, fields = dead_letter_entry(streams, failure, {"data": "y" * 200_000})
    record: DeadLettered = decode(fields).payload
    assert stream == "p:deadletter"
    assert len(record.error) == 4_000 and len(record.original["data"]) == 100_000
    assert decode(fields).correlation_id == "p:news/1-0"


async def test_a_redis_error_mid_pipeline_still_counts_what_was_added(
    redis: Redis, streams: Streams
) -> None:
    metrics = RuntimeMetrics()
    publisher = Publisher(redis, metrics, streams)
    await redis.set(streams.scores, "not a stream")
    with pytest.raises(ResponseError, match="WRONGTYPE"):
        await publisher.add([(streams.news, {"a": "1"}), (streams.scores, {"a": "1"})])
    assert published(metrics, "news") == 1 and published(metrics, "scores") == 0
