"""End-to-end pipeline benchmark against the raw Redis floor, in one run.

    python bench/pipeline.py [--documents N] [--feeds F] [--rate-s 200] [--rate-duration-s 15]

1. Raw floor: a producer and three plain redis-py processes move N entries news → tagged →
   scores → alerts (pipelined XADD, XREADGROUP COUNT 100, one XACK per batch), no work per
   entry.
2. Pipeline: news ingest, tagger, scorer and alerter as real service processes, one replica
   each. N real documents (dev set, background summaries and feed items, repeated with
   unique ids) are written as F JSON Feed files; news ingest polls each once, drops
   duplicates and chains near-duplicates, and publishes them; the time runs from the first
   news entry to the last entry any service wrote. Then the driver publishes documents
   straight to the news stream at a fixed rate, the way news ingest does, for latency at a
   steady load. Latencies come from stream entry ids (Redis server time): a document's news
   entry to its DocumentTagged entry, and to the SectorScored entry it caused (the scorer
   runs with a 1 s coalescing interval here, so the first document of each second of event
   time in a sector publishes one).
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
from datetime import UTC, datetime, timedelta
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
SERVICES = ("tagger", "scorer", "alerter")  # started first; news ingest once they read
COALESCE_S = 1.0
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


def news_entries(
    count: int, offset: int, docs: list[tuple[str, str]], rate_per_s: float
) -> list[dict[str, str]]:
    """News entries whose event times are their publish times at ``rate_per_s``."""
    start = datetime.now(UTC)
    entries = []
    for i in range(offset, offset + count):
        title, text = docs[i % len(docs)]
        now = start + timedelta(seconds=(i - offset) / rate_per_s)
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


def write_feeds(
    folder: Path, docs: list[tuple[str, str]], count: int, feeds: int, start: datetime
) -> Path:
    """``count`` documents as ``feeds`` JSON Feed files, 10 ms of event time apart; returns
    the feeds file listing them."""
    per_feed = -(-count // feeds)
    listing = []
    for number in range(feeds):
        items = []
        for i in range(number * per_feed, min(count, (number + 1) * per_feed)):
            title, text = docs[i % len(docs)]
            items.append(
                {
                    "id": f"b-{i}",
                    "url": f"https://bench.example/{i}",
                    "title": title or f"Document {i}",
                    "content_text": text,
                    "date_published": (start + timedelta(milliseconds=10 * i)).isoformat(),
                }
            )
        path = folder / f"feed-{number}.json"
        path.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}))
        listing.append({"name": f"bench-{number}", "url": str(path), "poll_interval_s": 86400})
    feeds_file = folder / "feeds.yaml"
    feeds_file.write_text(json.dumps({"feeds": listing}))  # JSON is YAML
    return feeds_file


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


def start_services(
    names: tuple[str, ...], url: str, prefix: str, log_dir: Path, **extra: str
) -> dict[str, subprocess.Popen[bytes]]:
    processes = {}
    for name in names:
        env = {
            **os.environ,
            "REDIS_URL": url,
            "RADAR_STREAM_PREFIX": prefix,
            "RADAR_HTTP_PORT": str(free_port()),
            "RADAR_LOG_LEVEL": "warning",
            "RADAR_LOG_FORMAT": "json",
            "RADAR_CONSUMER_NAME": f"bench-{name}",
            "RADAR_COALESCE_INTERVAL_S": str(COALESCE_S),
            **extra,
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
    """correlation id → stream time of its first entry that a message caused (a scorer's
    periodic flush, which has no causation id, is left out)."""
    found: dict[str, int] = {}
    start = "-"
    while True:
        chunk = await redis.xrange(stream, min=start, count=5000)
        for entry_id, fields in chunk:
            if fields.get("causation_id") or stream.endswith(":news"):
                found.setdefault(fields["correlation_id"], entry_ms(entry_id))
        if len(chunk) < 5000:
            return found
        start = "(" + chunk[-1][0]


def percentiles(values: list[int]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


async def latencies(redis: Any, streams: Streams, ids: set[str]) -> dict[str, Any]:
    news = await first_ms_by_document(redis, streams.news)
    tagged = await first_ms_by_document(redis, streams.tagged)
    scored = await first_ms_by_document(redis, streams.scores)
    to_scored = [scored[i] - news[i] for i in ids if i in scored]
    return {
        "publish_to_tagged_ms": percentiles([tagged[i] - news[i] for i in ids if i in tagged]),
        "publish_to_scored_ms": percentiles(to_scored),
        "scored_samples": len(to_scored),
    }


async def run_pipeline(
    url: str,
    docs: list[tuple[str, str]],
    count: int,
    feeds: int,
    rate_per_s: float,
    rate_duration_s: float,
    work_dir: Path,
) -> dict[str, Any]:
    prefix = f"benchpipe{os.getpid()}"
    streams = Streams(prefix)
    redis = connect(url)
    feeds_file = write_feeds(work_dir, docs, count, feeds, datetime.now(UTC) - timedelta(days=1))
    processes = start_services(SERVICES, url, prefix, work_dir)
    redis_cpu_s = await redis_cpu_seconds(redis)
    try:
        await wait_started(redis, streams)
        processes.update(
            start_services(("news",), url, prefix, work_dir, RADAR_FEEDS_FILE=str(feeds_file))
        )
        await wait_length(redis, streams.news, count, timeout_s=1800)
        await wait_drained(redis, streams, timeout_s=1800)
        first_ms = entry_ms((await redis.xrange(streams.news, count=1))[0][0])
        last_ms = max(
            [await last_entry_ms(redis, streams.key(s)) for s in ("tagged", "scores", "alerts")]
        )
        news_ms = await last_entry_ms(redis, streams.news)
        seconds = max(0.001, (last_ms - first_ms) / 1000)
        # News ingest names items by their guid's hash: the ids are those on the news stream.
        full_ids = set(await first_ms_by_document(redis, streams.news))
        full_latency = await latencies(redis, streams, full_ids)
        paced_count = int(rate_per_s * rate_duration_s)
        await publish_at_rate(
            redis, streams.news, news_entries(paced_count, count, docs, rate_per_s), rate_per_s
        )
        await wait_drained(redis, streams, timeout_s=600)
        paced_ids = {f"b-{i}" for i in range(count, count + paced_count)}
        paced = await latencies(redis, streams, paced_ids)
        memory = {name: peak_rss_mb(process.pid) for name, process in processes.items()}
        # News ingest saw only the feed documents; the paced ones went straight to its stream.
        cpu_ms = {
            name: round(
                cpu_seconds(process.pid)
                * 1000
                / (count if name == "news" else count + paced_count),
                3,
            )
            for name, process in processes.items()
        }
        cpu_ms["redis"] = round(
            (await redis_cpu_seconds(redis) - redis_cpu_s) * 1000 / (count + paced_count), 3
        )
        written = {s: await redis.xlen(streams.key(s)) for s in ("tagged", "scores", "alerts")}
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=60)
        keys = [key async for key in redis.scan_iter(match=f"{prefix}:*", count=1000)]
        for start in range(0, len(keys), 1000):
            await redis.delete(*keys[start : start + 1000])
        await redis.aclose()
    return {
        "documents": count,
        "feeds": feeds,
        "documents_per_s": count / seconds,
        "seconds": seconds,
        "news_ingest_documents_per_s": count / max(0.001, (news_ms - first_ms) / 1000),
        "full_load": full_latency,
        "fixed_rate": {"rate_per_s": rate_per_s, **paced},
        "peak_rss_mb": memory,
        "cpu_ms_per_document": cpu_ms,
        "entries_written": written,
    }


async def wait_length(redis: Any, stream: str, length: int, timeout_s: float) -> None:
    async with asyncio.timeout(timeout_s):
        while await redis.xlen(stream) < length:  # noqa: ASYNC110 - polls Redis state
            await asyncio.sleep(0.2)


async def last_entry_ms(redis: Any, stream: str) -> int:
    newest = await redis.xrevrange(stream, count=1)
    return entry_ms(newest[0][0]) if newest else 0


async def redis_cpu_seconds(redis: Any) -> float:
    """CPU time the Redis server has used so far."""
    return cpu_of_info(await redis.info("cpu"))


def cpu_of_info(info: dict[str, Any]) -> float:
    """User and system CPU time from Redis's INFO cpu section."""
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    print(f"{'pipeline news→tagger→scorer→alerter (docs/s)':<44}{pipe['documents_per_s']:>12,.0f}")
    news = pipe["news_ingest_documents_per_s"]
    print(f"{'  news ingest alone (docs/s)':<44}{news:>12,.0f}")
    print(f"{'pipeline / raw floor':<44}{result['ratio']:>12.2f}")
    for phase, label in (("full_load", "full load"), ("fixed_rate", "fixed rate")):
        for hop, values in pipe[phase].items():
            if hop.endswith("_ms"):
                cuts = "  ".join(f"{k} {values[k]:>6.0f}" for k in ("p50", "p95", "p99"))
                print(f"{label + ' ' + hop:<44}{cuts}")
        print(f"{label + ' documents with a SectorScored':<44}{pipe[phase]['scored_samples']:>12,}")
    for name, mb in pipe["peak_rss_mb"].items():
        cpu = pipe["cpu_ms_per_document"][name]
        print(f"{'peak RSS ' + name + ' (MB) / CPU ms per doc':<44}{mb:>12.1f}{cpu:>10.3f}")
    print(f"{'Redis CPU ms per doc':<44}{pipe['cpu_ms_per_document']['redis']:>22.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--rate-s", type=float, default=200.0)
    parser.add_argument("--rate-duration-s", type=float, default=15.0)
    args = parser.parse_args()
    docs = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("REDIS_URL")
        embedded = None if url else EmbeddedRedis(Path(tmp) / "redis")
        url = url or embedded.start()  # type: ignore[union-attr]
        try:
            floor = raw_floor(url, news_entries(args.documents, 0, docs, 1000.0))
            pipe = asyncio.run(
                run_pipeline(
                    url,
                    docs,
                    args.documents,
                    args.feeds,
                    args.rate_s,
                    args.rate_duration_s,
                    Path(tmp),
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
