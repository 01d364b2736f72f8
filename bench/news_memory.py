"""Peak memory and CPU of news ingest alone, by what it is fed: documents and bytes of feeds.

    python bench/news_memory.py

Writes N real documents (as bench/pipeline.py does) into 20 JSON Feed files, runs one news
ingest process until every item is on the news stream, and reads its peak RSS (VmHWM).
Three shapes separate the two causes: many documents in few bytes (texts cut to a fifth),
and the same bytes with fewer documents. Also reports the CPU the process spent per document
and its rate, both counted from the process start (about a second of imports), and the CPU
Redis spent meanwhile (news ingest's scripts: on its own redis-server news ingest is the only
client; a Redis given by REDIS_URL counts its other clients too). Uses REDIS_URL when set,
else its own redis-server.
Writes bench/results/news_memory.json.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis as sync_redis
from pipeline import corpus, cpu_of_info, cpu_seconds, peak_rss_mb, write_feeds

from radar_runtime import EmbeddedRedis
from radar_runtime.embedded_redis import free_port
from radar_schemas import Streams

RESULTS = Path(__file__).parent / "results"
SHAPES = ((100_000, 1.0), (100_000, 0.2), (20_000, 1.0))


def measure(url: str, count: int, text_fraction: float, work_dir: Path) -> dict[str, float]:
    docs = [(title, text[: max(1, int(len(text) * text_fraction))]) for title, text in corpus()]
    folder = work_dir / f"{count}-{text_fraction}"
    folder.mkdir()
    feeds = write_feeds(folder, docs, count, 20, datetime.now(UTC) - timedelta(days=1))
    size_mb = sum(f.stat().st_size for f in folder.glob("feed-*.json")) / 1e6
    prefix = f"benchmem{os.getpid()}x{count}x{int(text_fraction * 100)}"
    env = {
        **os.environ,
        "REDIS_URL": url,
        "RADAR_STREAM_PREFIX": prefix,
        "RADAR_HTTP_PORT": str(free_port()),
        "RADAR_LOG_LEVEL": "warning",
        "RADAR_FEEDS_FILE": str(feeds),
    }
    client = sync_redis.Redis.from_url(url)
    redis_cpu_s = cpu_of_info(client.info("cpu"))
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "radar_news"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 600
        while client.xlen(Streams(prefix).news) < count:
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit(f"news ingest did not publish {count} items within 600 s")
            time.sleep(0.2)
        seconds = time.monotonic() - started
        peak, cpu_s = peak_rss_mb(process.pid), cpu_seconds(process.pid)
        redis_cpu_s = cpu_of_info(client.info("cpu")) - redis_cpu_s
    finally:
        process.terminate()
        process.wait(timeout=60)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
    return {
        "documents": count,
        "feed_mb": round(size_mb, 1),
        "peak_rss_mb": round(peak, 1),
        "cpu_ms_per_document": round(cpu_s * 1000 / count, 3),
        "redis_cpu_ms_per_document": round(redis_cpu_s * 1000 / count, 3),
        "documents_per_s": round(count / seconds),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("REDIS_URL")
        embedded = None if url else EmbeddedRedis(Path(tmp) / "redis")
        url = url or embedded.start()  # type: ignore[union-attr]
        try:
            rows = [measure(url, n, fraction, Path(tmp)) for n, fraction in SHAPES]
        finally:
            if embedded:
                embedded.stop()
    print(
        f"{'documents':>10}{'feeds (MB)':>12}{'news peak RSS (MB)':>20}"
        f"{'CPU ms/document':>17}{'Redis CPU ms/document':>23}{'documents/s':>13}"
    )
    for row in rows:
        print(
            f"{row['documents']:>10,}{row['feed_mb']:>12.1f}{row['peak_rss_mb']:>20.1f}"
            f"{row['cpu_ms_per_document']:>17.3f}{row['redis_cpu_ms_per_document']:>23.3f}"
            f"{row['documents_per_s']:>13,}"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "news_memory.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
