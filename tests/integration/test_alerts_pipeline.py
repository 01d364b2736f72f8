"""The seed article, the dev-set news and the sample earnings replayed through the running
tagger, scorer and alerter (real processes): alerts whose evidence points at the documents that
caused them, and `radar scores` showing the sectors they moved."""

import asyncio
import json
from pathlib import Path

from redis.asyncio import Redis

from radar_earnings.settings import SAMPLES_DIR as EARNINGS_SAMPLES
from radar_schemas import AlertStatus, Streams

from ..support.messages import read_all
from ..support.processes import running, service_env
from .test_cli import radar

SEED_ID = "seed-citic-ai-monetization"


def replayed_ids(fixtures: Path) -> dict[str, str]:
    """Document id → title of every replayed news item."""
    rows = []
    for name in ("news/seed-article.jsonl", "eval/dev.jsonl"):
        lines = (fixtures / name).read_text(encoding="utf-8").splitlines()
        rows += [json.loads(line) for line in lines if line.strip()]
    return {row["id"]: row["title"] for row in rows}


async def test_seed_and_dev_set_raise_alerts_traced_to_their_documents(
    redis: Redis, redis_url: str, streams: Streams, fixtures: Path, tmp_path: Path
) -> None:
    env = service_env(redis_url, streams.prefix, RADAR_BLOCK_MS="200", RADAR_IDLE_RELEASE_S="2")
    with (
        running("radar_tagger", env, tmp_path / "tagger.log"),
        running("radar_scorer", env, tmp_path / "scorer.log"),
        running("radar_alerter", env, tmp_path / "alerter.log"),
    ):
        for path in (
            fixtures / "news" / "seed-article.jsonl",
            fixtures / "eval" / "dev.jsonl",
            EARNINGS_SAMPLES / "calendar.json",
        ):
            done = radar(env, "replay", "--undated", "now", str(path))
            assert done.returncode == 0, done.stderr
        async with asyncio.timeout(90):
            while not await _seed_alerted(redis, streams):
                await asyncio.sleep(0.5)

    titles = replayed_ids(fixtures)
    alerts = [event.payload for event in await read_all(redis, streams.alerts)]
    firing = [a for a in alerts if a.status is AlertStatus.FIRING]
    assert firing
    # The sample calendar's one real report (AMC Networks' EPS miss) raises its own alert.
    reports = [a for a in alerts if a.rule == "earnings_surprise"]
    assert [a.correlation_ids for a in reports] == [("AMCX:2025-03-30:calendar",)]
    for alert in (a for a in alerts if a.rule != "earnings_surprise"):
        assert alert.correlation_ids and set(alert.correlation_ids) <= set(titles)
        assert all(e.title == titles[e.document_id] for e in alert.evidence), alert.summary
    seed_alerts = [a for a in firing if SEED_ID in a.correlation_ids]
    # The seed note names AI marketing, gaming, film/TV and AI+IP: an alert in any of them.
    assert {a.labels["sector"] for a in seed_alerts} & {
        "gaming",
        "marketing",
        "film_tv",
        "ip_media",
        "ai_infra",
    }
    assert any(e.quote for a in seed_alerts for e in a.evidence if e.document_id == SEED_ID)

    table = radar(env, "scores", "--json")
    assert table.returncode == 0, table.stderr
    rows = {row["sector"]: row for row in json.loads(table.stdout)}
    assert {a.labels["sector"] for a in firing} <= set(rows)
    assert any(
        SEED_ID in [c["document_id"] for c in row["top_contributors"]] for row in rows.values()
    )
    early = radar(env, "scores", "--at", "2000-01-01T00:00Z", "--json")
    assert early.returncode == 0 and json.loads(early.stdout)
    assert all(row["signals"] == 0 and row["score"] == 0 for row in json.loads(early.stdout))
    naive = radar(env, "scores", "--at", "2026-11-20T00:00")
    assert naive.returncode == 2 and "time zone" in naive.stderr
    text = radar(env, "scores")
    assert "gaming" in text.stdout and "sector scores at" in text.stdout


async def _seed_alerted(redis: Redis, streams: Streams) -> bool:
    """The seed note's alert and the calendar report's are both out (they come in no fixed
    order: the services run side by side)."""
    alerts = [event.payload for event in await read_all(redis, streams.alerts)]
    return any(SEED_ID in a.correlation_ids for a in alerts) and any(
        a.rule == "earnings_surprise" for a in alerts
    )
