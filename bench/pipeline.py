"""End-to-end pipeline benchmark against the raw Redis floor, in one run.

    python bench/pipeline.py [--documents N] [--rate-s 200] [--rate-duration-s 15]

1. Raw floor: three plain redis-py processes move N entries news → tagged → scores → alerts
   (XREADGROUP COUNT 100, pipelined XADD, one XACK per batch), no work per entry.
2. Pipeline: tagger, scorer and alerter as real service processes, one replica each. The
   driver publishes N real documents (dev set, background summaries and feed items, repeated
   with unique ids) to the news stream the way news ingest does, as fast as Redis takes them;
   then again at a fixed rate. Latencies come from stream entry ids (Redis server time): a
   document's news entry to its DocumentTagged entry, and to its first SectorScored entry.
3. Peak RSS of each service (VmHWM) after the run.

Uses REDIS_URL when set, else starts its own redis-server. Writes bench/results/pipeline.json.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis as sync_redis

from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import parse_feed
from radar_runtime import EmbeddedRedis, connect
from radar_runtime.embedded_redis import free_port
from radar_schemas import EventType, NewsItemIngested, Streams, encode, new_event

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
RESULTS = Path(__file__).parent / "results"
SERVICES = ("tagger", "scorer", "alerter")
HOPS = (("news", "tagged"), ("tagged", "scores"), ("scores", "alerts"))


def corpus() -> list[tuple[str, str]]:
    """(title, text) of every real document in the fixtures."""
    docs = []
    for name in ("eval/dev.jsonl", "news/background.jsonl"):
        for line in (FIXTURES / name).read_text().splitlines():
            row = json.loads(line)
            docs.append((row.get("title") or "", row.get("text") or ""))
    now = datetime.now(UTC)
    for path in sorted((FIXTURES / "feeds").iterdir()):
        for item in parse_feed(path.read_bytes(), FeedConfig(name="f", url="x"), now):
            docs.append((item.title, item.text))
    return docs


def news_entries(count: int, offset: int, docs: list[tuple[str, str]]) -> list[dict[str, str]]:
    now = datetime.now(UTC)
    entries = []
    for i in range(offset, offset + count):
        title, text = docs[i % len(docs)]
        item = NewsItemIngested(
            item_id=f"b-{i}", source="bench", title=title[:1000], text=text, published_at=now
        )
        entries.append(
            encode(
                new_event(
                    EventType.NEWS_INGESTED,
                    item,
                    producer="news",
                    correlation_id=item.item_id,
                    occurred_at=now,
                )
            )
        )
    return entries


def entry_ms(entry_id: str) -> int:
    return int(entry_id.split("-")[0])


# -- raw floor --------------------------------------------------------------------------------


def _raw_hop(url: str, prefix: str, source: str, target: str, count: int) -> None:
    client = sync_redis.Redis.from_url(url, decode_responses=True)
    streams = Streams(prefix)
    moved = 0
    while moved < count:
        reply = client.xreadgroup("raw", "c", {streams.key(source): ">"}, count=100, block=1000)
        entries = reply[0][1] if reply else []
        if not entries:
            continue
        pipe = client.pipeline(transaction=False)
        for _, fields in entries:
            pipe.xadd(streams.key(target), fields)
        pipe.xack(streams.key(source), "raw", *[entry_id for entry_id, _ in entries])
        pipe.execute()
        moved += len(entries)


def raw_floor(url: str, entries: list[dict[str, str]]) -> dict[str, float]:
    prefix = f"benchraw{os.getpid()}"
    client = sync_redis.Redis.from_url(url, decode_responses=True)
    streams = Streams(prefix)
    for source, _ in HOPS:
        client.xgroup_create(streams.key(source), "raw", id="0", mkstream=True)
    hops = [
        multiprocessing.Process(target=_raw_hop, args=(url, prefix, s, t, len(entries)))
        for s, t in HOPS
    ]
    for hop in hops:
        hop.start()
    _publish_sync(client, streams.news, entries)
    for hop in hops:
        hop.join()
    first = client.xrange(streams.news, count=1)[0][0]
    last = client.xrevrange(streams.alerts, count=1)[0][0]
    seconds = max(0.001, (entry_ms(last) - entry_ms(first)) / 1000)
    client.delete(*[streams.key(name) for name in ("news", "tagged", "scores", "alerts")])
    return {"documents_per_s": len(entries) / seconds, "seconds": seconds}


def _publish_sync(client: Any, stream: str, entries: list[dict[str, str]]) -> None:
    for start in range(0, len(entries), 500):
        pipe = client.pipeline(transaction=False)
        for fields in entries[start : start + 500]:
            pipe.xadd(stream, fields)
        pipe.execute()


# -- the pipeline -----------------------------------------------------------------------------


def start_services(url: str, prefix: str, log_dir: Path) -> dict[str, subprocess.Popen[bytes]]:
    processes = {}
    for name in SERVICES:
        env = {
            **os.environ,
            "REDIS_URL": url,
            "RADAR_STREAM_PREFIX": prefix,
            "RADAR_HTTP_PORT": str(free_port()),
            "RADAR_LOG_LEVEL": "warning",
            "RADAR_LOG_FORMAT": "json",
            "RADAR_CONSUMER_NAME": f"bench-{name}",
        }
        with (log_dir / f"{name}.log").open("ab") as log:
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", f"radar_{name}"], env=env, stdout=log, stderr=log
            )
    return processes


async def wait_started(redis: Any, streams: Streams) -> None:
    """Until each service's consumer group exists."""
    groups = {"news": "tagger", "tagged": "scorer", "scores": "alerter"}
    async with asyncio.timeout(60):
        while True:
            present = 0
            for stream, group in groups.items():
                if await redis.exists(streams.key(stream)):
                    names = {g["name"] for g in await redis.xinfo_groups(streams.key(stream))}
                    present += group in names
            if present == len(groups):
                return
            await asyncio.sleep(0.1)


async def drained(redis: Any, streams: Streams) -> bool:
    """Every group has read its stream to the end and acknowledged everything."""
    for stream, group in (("news", "tagger"), ("tagged", "scorer"), ("scores", "alerter")):
        key = streams.key(stream)
        info = await redis.xinfo_stream(key)
        state = next(g for g in await redis.xinfo_groups(key) if g["name"] == group)
        if state["pending"] or state["last-delivered-id"] != info["last-generated-id"]:
            return False
    return True


async def wait_drained(redis: Any, streams: Streams, timeout_s: float) -> None:
    async with asyncio.timeout(timeout_s):
        while not await drained(redis, streams):  # noqa: ASYNC110 - polls Redis state
            await asyncio.sleep(0.2)


async def publish(redis: Any, stream: str, entries: list[dict[str, str]]) -> None:
    for start in range(0, len(entries), 500):
        async with redis.pipeline(transaction=False) as pipe:
            for fields in entries[start : start + 500]:
                pipe.xadd(stream, fields)
            await pipe.execute()


async def publish_at_rate(
    redis: Any, stream: str, entries: list[dict[str, str]], rate_per_s: float
) -> None:
    tick_s = 0.05
    per_tick = max(1, round(rate_per_s * tick_s))
    started = time.monotonic()
    for index, start in enumerate(range(0, len(entries), per_tick)):
        await asyncio.sleep(max(0.0, started + index * tick_s - time.monotonic()))
        await publish(redis, stream, entries[start : start + per_tick])


async def first_ms_by_document(redis: Any, stream: str) -> dict[str, int]:
    """correlation id → stream time of its first entry."""
    found: dict[str, int] = {}
    start = "-"
    while True:
        chunk = await redis.xrange(stream, min=start, count=5000)
        for entry_id, fields in chunk:
            found.setdefault(fields["correlation_id"], entry_ms(entry_id))
        if len(chunk) < 5000:
            return found
        start = "(" + chunk[-1][0]


def percentiles(values: list[int]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


async def latencies(redis: Any, streams: Streams, ids: set[str]) -> dict[str, dict[str, float]]:
    news = await first_ms_by_document(redis, streams.news)
    tagged = await first_ms_by_document(redis, streams.tagged)
    scored = await first_ms_by_document(redis, streams.scores)
    return {
        "publish_to_tagged_ms": percentiles([tagged[i] - news[i] for i in ids if i in tagged]),
        "publish_to_scored_ms": percentiles([scored[i] - news[i] for i in ids if i in scored]),
    }


async def run_pipeline(
    url: str,
    docs: list[tuple[str, str]],
    count: int,
    rate_per_s: float,
    rate_duration_s: float,
    log_dir: Path,
) -> dict[str, Any]:
    prefix = f"benchpipe{os.getpid()}"
    streams = Streams(prefix)
    redis = connect(url)
    processes = start_services(url, prefix, log_dir)
    try:
        await wait_started(redis, streams)
        full = news_entries(count, 0, docs)
        await publish(redis, streams.news, full)
        await wait_drained(redis, streams, timeout_s=1800)
        first_ms = entry_ms((await redis.xrange(streams.news, count=1))[0][0])
        last_ms = max(
            [await last_entry_ms(redis, streams.key(s)) for s in ("tagged", "scores", "alerts")]
        )
        seconds = max(0.001, (last_ms - first_ms) / 1000)
        full_latency = await latencies(redis, streams, {f"b-{i}" for i in range(count)})
        paced_count = int(rate_per_s * rate_duration_s)
        await publish_at_rate(
            redis, streams.news, news_entries(paced_count, count, docs), rate_per_s
        )
        await wait_drained(redis, streams, timeout_s=600)
        paced_ids = {f"b-{i}" for i in range(count, count + paced_count)}
        paced = await latencies(redis, streams, paced_ids)
        memory = {name: peak_rss_mb(process.pid) for name, process in processes.items()}
        tagged_count = await redis.xlen(streams.tagged)
        scored_count = await redis.xlen(streams.scores)
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=60)
        keys = [key async for key in redis.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()
    return {
        "documents": count,
        "documents_per_s": count / seconds,
        "seconds": seconds,
        "full_load": full_latency,
        "fixed_rate": {"rate_per_s": rate_per_s, **paced},
        "peak_rss_mb": memory,
        "tagged_entries": tagged_count,
        "scored_entries": scored_count,
    }


async def last_entry_ms(redis: Any, stream: str) -> int:
    newest = await redis.xrevrange(stream, count=1)
    return entry_ms(newest[0][0]) if newest else 0


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- report -----------------------------------------------------------------------------------


def report(result: dict[str, Any]) -> None:
    floor, pipe = result["raw_floor"], result["pipeline"]
    print(f"documents: {pipe['documents']:,} (real texts: dev set, background, feed items)")
    print(f"{'raw floor, 3 hops (docs/s)':<44}{floor['documents_per_s']:>12,.0f}")
    print(f"{'pipeline tagger→scorer→alerter (docs/s)':<44}{pipe['documents_per_s']:>12,.0f}")
    print(f"{'pipeline / raw floor':<44}{result['ratio']:>12.2f}")
    for phase, label in (("full_load", "full load"), ("fixed_rate", "fixed rate")):
        for hop, values in pipe[phase].items():
            if hop.endswith("_ms"):
                cuts = "  ".join(f"{k} {values[k]:>6.0f}" for k in ("p50", "p95", "p99"))
                print(f"{label + ' ' + hop:<44}{cuts}")
    for name, mb in pipe["peak_rss_mb"].items():
        print(f"{'peak RSS ' + name + ' (MB)':<44}{mb:>12.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--rate-s", type=float, default=200.0)
    parser.add_argument("--rate-duration-s", type=float, default=15.0)
    args = parser.parse_args()
    docs = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("REDIS_URL")
        embedded = None if url else EmbeddedRedis(Path(tmp) / "redis")
        url = url or embedded.start()  # type: ignore[union-attr]
        try:
            floor = raw_floor(url, news_entries(args.documents, 0, docs))
            pipe = asyncio.run(
                run_pipeline(
                    url, docs, args.documents, args.rate_s, args.rate_duration_s, Path(tmp)
                )
            )
        finally:
            if embedded:
                embedded.stop()
    result = {
        "raw_floor": floor,
        "pipeline": pipe,
        "ratio": pipe["documents_per_s"] / floor["documents_per_s"],
    }
    report(result)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pipeline.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
