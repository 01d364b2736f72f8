"""Earnings ingest on a real Redis: calendars (JSON or CSV) with SUE from the kept history,
earnings texts to the news stream once, and the service as a real process."""

import asyncio
import json
from pathlib import Path

from redis.asyncio import Redis
from structlog.testing import capture_logs

from radar_earnings.pollers import calendar_once, documents_once
from radar_earnings.settings import EarningsSettings
from radar_reference import load_companies
from radar_runtime import Runtime, RuntimeMetrics
from radar_schemas import DocumentKind, EventType, Streams
from radar_schemas.earnings import MetricName

from ..support.messages import read_all
from ..support.processes import running, service_env

SURPRISES = [0.10, 0.20, 0.00, 0.10, 0.30, 0.20, 0.10, 0.20]
QUARTER_ENDS = [f"{y}-{m}" for y in (2023, 2024) for m in ("03-31", "06-30", "09-30", "12-31")]


def runtime(redis: Redis, settings: EarningsSettings) -> Runtime:
    return Runtime(name="earnings", settings=settings, redis=redis, metrics=RuntimeMetrics())


def write_calendar(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps(rows))
    return path


async def test_calendar_sue_uses_history_kept_from_earlier_polls(
    redis: Redis, streams: Streams, tmp_path: Path
) -> None:
    settings = EarningsSettings(stream_prefix=streams.prefix, calendar_files=[])
    rt = runtime(redis, settings)
    past = [
        {"symbol": "ACME", "date": end, "fiscalDateEnding": end, "eps": 1.0 + s,
         "epsEstimated": 1.0, "time": "amc"}
        for end, s in zip(QUARTER_ENDS, SURPRISES, strict=True)
    ]  # fmt: skip
    assert await calendar_once(settings, write_calendar(tmp_path / "a.json", past), rt) == 8
    latest = {"symbol": "ACME", "date": "2025-04-30", "fiscalDateEnding": "2025-03-31",
              "eps": 1.5, "epsEstimated": 1.2, "time": "bmo", "revenue": None}  # fmt: skip
    later = write_calendar(tmp_path / "b.json", [latest])
    assert await calendar_once(settings, later, rt) == 1
    assert await calendar_once(settings, later, rt) == 0  # polled again: not published twice
    events = await read_all(redis, streams.earnings)
    assert [e.event_type for e in events] == [EventType.EARNINGS_REPORTED] * 9
    eps = events[-1].payload.metrics[MetricName.EPS]
    # By hand (see the unit test): surprise 0.30 over a standard deviation of 0.0925820.
    assert (eps.sue, eps.standardized, eps.surprise_pct) == (3.2404, True, 25.0)
    assert not any(e.payload.metrics[MetricName.EPS].standardized for e in events[:-1])


async def test_earnings_texts_reach_the_news_stream_once(
    redis: Redis, streams: Streams, fixtures: Path
) -> None:
    earnings = fixtures / "earnings"
    settings = EarningsSettings(
        stream_prefix=streams.prefix,
        calendar_files=[],
        document_files=[
            earnings / "press_releases/adobe_8-K_2023-03-15_EX-99.1_Q1FY2023.htm",
            earnings / "press_releases/meta_8-K_2025-12-19_item5.02_NON_EARNINGS.txt",
            earnings / "transcripts/U_2025Q3_earnings_call.md",
        ],
    )
    rt = runtime(redis, settings)
    # Adobe: a document and its reported figures; Unity: a document; Meta: nothing.
    assert await documents_once(settings, load_companies(), rt) == 3
    assert await documents_once(settings, load_companies(), rt) == 0
    news = await read_all(redis, streams.news)
    assert [(e.payload.kind, e.payload.tickers) for e in news] == [
        (DocumentKind.PRESS_RELEASE, ("ADBE",)),
        (DocumentKind.TRANSCRIPT, ("U",)),
    ]
    assert news[0].payload.title == "Adobe (ADBE) Q1 fiscal 2023 earnings release"
    (report,) = await read_all(redis, streams.earnings)  # none from the Meta 8-K
    assert report.payload.report_id == "ADBE:2023Q1:press_release"
    assert report.payload.metrics[MetricName.REVENUE].actual == 4.66e9


async def test_service_process_publishes_calendar_and_texts(
    redis: Redis, redis_url: str, streams: Streams, fixtures: Path, tmp_path: Path
) -> None:
    earnings = fixtures / "earnings"
    env = service_env(
        redis_url,
        streams.prefix,
        # The CSV form of the calendar: the other tests poll the JSON one.
        RADAR_CALENDAR_FILES=json.dumps([str(earnings / "calendar_fmp_2025-05-09.csv")]),
        RADAR_DOCUMENT_FILES=json.dumps(
            [str(earnings / "press_releases/adobe_8-K_2023-03-15_EX-99.1_Q1FY2023.txt")]
        ),
    )
    rows = json.loads((earnings / "calendar_fmp_2025-05-09.json").read_text())
    reported = [r for r in rows if r["eps"] is not None or r["revenue"] is not None]
    expected = len(reported) + 1  # and the release's figures
    with running("radar_earnings", env, tmp_path / "earnings.log"):
        for _ in range(600):
            if await redis.xlen(streams.earnings) >= expected and await redis.xlen(streams.news):
                break
            await asyncio.sleep(0.1)
    assert await redis.xlen(streams.earnings) == expected
    (news,) = await read_all(redis, streams.news)
    assert news.payload.story_id == "earnings:ADBE:2023Q1"
    sources = [e.payload.source for e in await read_all(redis, streams.earnings)]
    assert sources.count("press_release") == 1


async def test_every_calendar_row_is_published_or_logged(
    redis: Redis, streams: Streams, fixtures: Path
) -> None:
    path = fixtures / "earnings/calendar_fmp_2025-05-09.json"
    rows = json.loads(path.read_text())
    settings = EarningsSettings(stream_prefix=streams.prefix, calendar_files=[])
    with capture_logs() as logs:
        published = await calendar_once(settings, path, runtime(redis, settings))
    rejected = [entry for entry in logs if entry["event"] == "calendar row rejected"]
    assert published + len(rejected) == len(rows)
    assert all("not reported yet" in entry["problem"] for entry in rejected)


async def test_a_csv_calendar_is_polled_like_its_json(
    redis: Redis, streams: Streams, fixtures: Path
) -> None:
    earnings = fixtures / "earnings"
    rows = json.loads((earnings / "calendar_fmp_2025-05-09.json").read_text())
    reported = [r for r in rows if r["eps"] is not None or r["revenue"] is not None]
    settings = EarningsSettings(stream_prefix=streams.prefix, calendar_files=[])
    rt = runtime(redis, settings)
    with capture_logs() as logs:
        published = await calendar_once(settings, earnings / "calendar_fmp_2025-05-09.csv", rt)
    assert published == len(reported)
    rejected = [entry for entry in logs if entry["event"] == "calendar row rejected"]
    assert len(rejected) == len(rows) - len(reported)
    assert all("not reported yet" in entry["problem"] for entry in rejected)
    anip = next(
        e for e in await read_all(redis, streams.earnings) if e.payload.company.ticker == "ANIP"
    )
    assert anip.payload.metrics[MetricName.EPS].surprise_pct == 24.0876
    # The JSON of the same rows yields the same reports: all published already.
    assert await calendar_once(settings, earnings / "calendar_fmp_2025-05-09.json", rt) == 0


async def test_an_unreadable_text_does_not_stop_the_others(
    redis: Redis, streams: Streams, fixtures: Path, tmp_path: Path
) -> None:
    missing, directory = tmp_path / "gone.txt", tmp_path
    adobe = fixtures / "earnings/press_releases/adobe_8-K_2023-03-15_EX-99.1_Q1FY2023.htm"
    settings = EarningsSettings(
        stream_prefix=streams.prefix, calendar_files=[], document_files=[missing, directory, adobe]
    )
    with capture_logs() as logs:
        published = await documents_once(settings, load_companies(), runtime(redis, settings))
    assert published == 2  # Adobe's document and its figures
    (news,) = await read_all(redis, streams.news)
    assert news.payload.tickers == ("ADBE",)
    unreadable = [entry for entry in logs if entry["event"] == "earnings text unreadable"]
    assert [entry["file"] for entry in unreadable] == [str(missing), str(directory)]
    assert unreadable[0]["error"].startswith("FileNotFoundError")
