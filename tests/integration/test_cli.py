"""The radar command line against a real Redis: replay, alerts tail, errors."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from redis.asyncio import Redis

from radar_schemas import (
    AlertRaised,
    AlertStatus,
    EventType,
    Severity,
    Streams,
    encode,
    new_event,
)

from ..support.messages import read_all
from ..support.processes import ROOT, service_env


def radar(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "radar_cli.main", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_replay_publishes_real_news_once_unless_forced(
    redis: Redis, redis_url: str, streams: Streams, fixtures: Path
) -> None:
    env = service_env(redis_url, streams.prefix)
    dev = fixtures / "eval/dev.jsonl"
    rows = [json.loads(line) for line in dev.read_text().splitlines()]
    first = radar(env, "replay", "--undated", "now", str(dev))
    assert first.returncode == 0, first.stderr
    assert f"{len(rows)} jsonl items, {len(rows)} published" in first.stderr
    # which Redis it wrote to, password hidden: run elsewhere, it feeds another pipeline
    assert "radar: published at redis://" in first.stderr and "(URL from REDIS_URL)" in first.stderr
    again = radar(env, "replay", "--undated", "now", str(dev))
    assert f"{len(rows)} jsonl items, 0 published" in again.stderr
    forced = radar(env, "replay", "--force", "--undated", "now", str(dev))
    assert f"{len(rows)} published" in forced.stderr
    events = await read_all(redis, streams.news)
    assert len(events) == 2 * len(rows)
    assert events[0].correlation_id == rows[0]["id"]
    assert events[0].payload.title == rows[0]["title"]


async def test_replay_feed_and_calendar_reach_their_streams(
    redis: Redis, redis_url: str, streams: Streams, fixtures: Path
) -> None:
    env = service_env(redis_url, streams.prefix)
    result = radar(
        env,
        "replay",
        str(fixtures / "feeds/rss-parser__heise.atom"),
        str(fixtures / "earnings/calendar_fmp_2025-05-09.json"),
    )
    assert result.returncode == 0, result.stderr
    assert await redis.xlen(streams.news) == 15
    reports = await read_all(redis, streams.earnings)
    assert reports and all(e.event_type is EventType.EARNINGS_REPORTED for e in reports)


async def test_replay_reads_a_csv_calendar_like_its_json(
    redis: Redis, redis_url: str, streams: Streams, fixtures: Path
) -> None:
    published = {}
    for suffix in ("json", "csv"):
        env = service_env(redis_url, f"{streams.prefix}{suffix}")
        result = radar(env, "replay", str(fixtures / f"earnings/calendar_fmp_2025-05-09.{suffix}"))
        assert result.returncode == 0, result.stderr
        events = await read_all(redis, Streams(f"{streams.prefix}{suffix}").earnings)
        published[suffix] = sorted(
            (e.payload.company.ticker, e.payload.report_date) for e in events
        )
    assert published["csv"] == published["json"] and len(published["csv"]) == 19


def test_missing_file_and_bad_time_are_clear_errors(redis_url: str, prefix: str) -> None:
    env = service_env(redis_url, prefix)
    missing = radar(env, "replay", "/nonexistent.xml")
    assert missing.returncode == 2 and "no such file: /nonexistent.xml" in missing.stderr
    bad = radar(env, "alerts", "tail", "--from", "yesterday-ish")
    assert bad.returncode == 2 and "--from" in bad.stderr
    lone = radar(env, "alerts", "tail", "--consumer", "c1")
    assert lone.returncode == 2 and "give --group too" in lone.stderr


def test_a_file_that_is_no_feed_is_a_bad_input(
    redis_url: str, prefix: str, fixtures: Path, tmp_path: Path
) -> None:
    env = service_env(redis_url, prefix)
    text = tmp_path / "notes.txt"
    text.write_text("Just some notes, not a feed.\n")
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>A web page, not its feed.</p></body></html>\n")
    for args in (
        ("replay", str(text)),
        ("feeds", "parse", str(text)),
        ("replay", str(page)),
        ("feeds", "parse", str(page)),
    ):
        result = radar(env, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stdout == "" and Path(args[-1]).name in result.stderr
        assert "neither RSS nor Atom" in result.stderr, result.stderr
    for args in (("replay", str(tmp_path)), ("backtest", str(tmp_path))):
        folder = radar(env, *args)
        assert folder.returncode == 2 and "a directory, not a file" in folder.stderr
    # a feed with a problem but items is read, and its problem told
    broken = fixtures / "feeds/feedparser__illformed_rss_item_link_corrupted_ampersands.xml"
    partial = radar(env, "feeds", "parse", str(broken))
    assert partial.returncode == 0 and "XML not well-formed at line 13" in partial.stderr
    missing = radar(env, "feeds", "parse", "/nonexistent.xml")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert "network" not in missing.stderr
    directory = radar(env, "tag", str(tmp_path))
    assert directory.returncode == 2 and "a directory, not a file" in directory.stderr


async def test_tail_says_which_redis_it_waits_on_when_its_stream_does_not_exist(
    redis: Redis, redis_url: str, prefix: str
) -> None:
    env = service_env(redis_url, prefix)
    waiting = radar(env, "alerts", "tail", "--from", "beginning", "--timeout", "0.5")
    assert waiting.returncode == 0 and waiting.stdout == ""
    assert f"{prefix}:alerts does not exist yet at redis://" in waiting.stderr
    assert "(URL from REDIS_URL)" in waiting.stderr
    await redis.xadd(f"{prefix}:alerts", {"not": "an alert"})
    exists = radar(env, "alerts", "tail", "--from", "beginning", "--timeout", "0.5")
    assert "does not exist" not in exists.stderr


def alert(sector: str, at: datetime) -> dict[str, str]:
    payload = AlertRaised(
        fingerprint=f"fp-{sector}",
        rule="sector_score_high",
        status=AlertStatus.FIRING,
        severity=Severity.WARNING,
        labels={"sector": sector},
        summary=f"{sector} score high",
        starts_at=at,
    )
    return encode(
        new_event(
            EventType.ALERT_RAISED,
            payload,
            producer="alerter",
            correlation_id=f"n-{sector}",
            occurred_at=at,
        )
    )


async def test_alerts_tail_from_the_beginning_as_text_and_json_and_as_a_group(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    for sector in ("gaming", "film_tv", "marketing"):
        await redis.xadd(streams.alerts, alert(sector, at))  # type: ignore[arg-type]
    env = service_env(redis_url, streams.prefix)

    text = radar(env, "alerts", "tail", "--from", "beginning", "--count", "2")
    lines = text.stdout.splitlines()
    assert text.returncode == 0 and len(lines) == 2
    assert "FIRING" in lines[0] and "gaming score high" in lines[0] and "[n-gaming]" in lines[0]

    as_json = radar(env, "alerts", "tail", "--from", "beginning", "--json", "--timeout", "1")
    decoded = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [d["payload"]["labels"]["sector"] for d in decoded] == ["gaming", "film_tv", "marketing"]

    group = ["alerts", "tail", "--from", "beginning", "--group", "desk", "--count", "2"]
    assert len(radar(env, *group).stdout.splitlines()) == 2
    rest = radar(env, "alerts", "tail", "--group", "desk", "--timeout", "1")
    assert [line.split("  ")[-1] for line in rest.stdout.splitlines()] == ["[n-marketing]"]

    now = radar(env, "alerts", "tail", "--timeout", "1")
    assert now.stdout == ""  # from now: nothing new arrived
    assert "waiting for new alerts" in now.stderr and "3 earlier entries" in now.stderr
    assert "--from beginning" in now.stderr


async def test_alerts_tail_into_a_pipe_ends_when_its_reader_does(
    redis: Redis, redis_url: str, streams: Streams
) -> None:
    """ "radar alerts tail --from beginning | head -1": every alert is written before head
    exits, then tail waits for more; it must notice the closed pipe, not wait forever."""
    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    for sector in ("gaming", "film_tv"):
        await redis.xadd(streams.alerts, alert(sector, at))  # type: ignore[arg-type]
    env = service_env(redis_url, streams.prefix)
    tail = subprocess.Popen(
        [sys.executable, "-m", "radar_cli.main", "alerts", "tail", "--from", "beginning"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert tail.stdout is not None
        assert "gaming score high" in tail.stdout.readline()
        tail.stdout.close()  # the reader goes, as head -1 does
        assert tail.wait(timeout=20) == 141
    finally:
        tail.kill()
        tail.wait()


async def test_replaying_history_older_than_the_pipelines_news_says_what_it_will_not_raise(
    redis_url: str, streams: Streams, fixtures: Path
) -> None:
    """June 2025 replayed after the sample's November 2026 news: its items reach the streams
    (event cards still fire) but are late signals for the scorer, which raises no sector
    alert for a past interval; the command says so and points at `radar backtest`."""
    env = service_env(redis_url, streams.prefix)
    sample = ROOT / "services/news/src/radar_news/samples/radar-sample.xml"
    first = radar(env, "replay", str(sample))
    assert first.returncode == 0, first.stderr
    assert "older than the newest news" not in first.stderr  # nothing newer in the pipeline
    history = radar(env, "replay", str(fixtures / "news/replay_2025-06.jsonl"))
    assert history.returncode == 0, history.stderr
    assert "187 of its items are older than the newest news already in the pipeline" in (
        history.stderr
    )
    assert "(2026-11-20 " in history.stderr
    assert "radar backtest" in history.stderr


async def test_an_entry_of_no_schema_or_no_time_zone_does_not_stop_a_replay(
    redis: Redis, redis_url: str, streams: Streams, fixtures: Path
) -> None:
    """The newest event time is read from whatever the stream holds: an entry written by
    hand with a naive time counts as UTC, one with no time at all is passed over."""
    await redis.xadd(streams.news, {"occurred_at": "2030-01-01T08:00:00", "data": "{}"})
    await redis.xadd(streams.news, {"data": "{}"})
    env = service_env(redis_url, streams.prefix)
    result = radar(env, "replay", str(fixtures / "news/replay_2025-06.jsonl"))
    assert result.returncode == 0, result.stderr
    assert "pipeline (2030-01-01 08:00Z)" in result.stderr


def test_a_replay_that_publishes_nothing_does_not_say_it_published(
    redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text('<?xml version="1.0"?>\n<rss version="2.0"><channel><item><title>a')
    result = radar(service_env(redis_url, streams.prefix), "replay", str(broken))
    assert result.returncode == 2
    assert "XML not well-formed at line 2" in result.stderr
    assert "published at" not in result.stderr and "radar: nothing published" in result.stderr
