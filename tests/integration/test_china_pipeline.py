"""Chinese coverage end to end on a real Redis: real Chinese news, served as a GBK feed that
declares no encoding, goes through the news service's parse and ingest; an A-share / Hong
Kong results file goes through the earnings service's calendar poller; the real tagger,
scorer and alerter run on the streams. The alerts name the Chinese companies: a gaming card
for 三七互娱 (002555.SZ), an AI-marketing card for 蓝色光标 (300058.SZ), and an earnings
miss for NetEase under its Hong Kong ticker although the file names its ADS (NTES), with
its figures in CNY."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from redis.asyncio import Redis

from radar_alerter.app import make_setup as alerter_setup
from radar_alerter.replay_end import close_replay
from radar_alerter.settings import AlerterSettings
from radar_earnings.pollers import calendar_once
from radar_earnings.settings import EarningsSettings
from radar_news.adapters.state import NewsState
from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import parse_document
from radar_news.ingest import Ingest
from radar_runtime import RuntimeMetrics, RuntimeSettings
from radar_runtime.service import Runtime
from radar_schemas import AlertRaised, AlertStatus, Polarity, Sector, Streams, Theme
from radar_scorer.app import make_setup as scorer_setup
from radar_scorer.settings import ScorerSettings
from radar_tagger.app import make_setup as tagger_setup
from radar_tagger.settings import TaggerSettings

from ..support.messages import read_all
from ..support.processes import ROOT, service_env
from .scoring_helpers import drain, runtime

FETCHED = datetime(2026, 2, 12, 9, tzinfo=UTC)
FAST: dict[str, Any] = {"block_ms": 100, "claim_idle_ms": 2000, "claim_interval_ms": 500}


def radar(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "radar_cli.main", *args]
    return subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def gbk_feed(fixtures: Path) -> bytes:
    """The real Chinese items as an RSS feed in GBK, its XML declaration naming no encoding
    (as many Chinese sites serve them); an item's date when the source gave one."""
    entries = []
    for line in (fixtures / "china/news_zh.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        date = item["published"]
        when = datetime.fromisoformat(date).replace(hour=12, tzinfo=UTC) if date else None
        entries.append(
            f"<item><title>{escape(item['title'])}</title><link>{escape(item['url'])}</link>"
            f"<guid>{escape(item['url'])}</guid>"
            + (f"<pubDate>{format_datetime(when)}</pubDate>" if when else "")
            + f"<description>{escape(item['text'])}</description></item>"
        )
    channel = f"<channel><title>中文财经</title>{''.join(entries)}</channel>"
    return f'<?xml version="1.0"?>\n<rss version="2.0">{channel}</rss>'.encode("gbk")


async def run_pipeline(
    redis: Redis, redis_url: str, prefix: str, fixtures: Path
) -> list[AlertRaised]:
    base = {"REDIS_URL": redis_url, "stream_prefix": prefix, "consumer_name": "c1", **FAST}
    feed = FeedConfig(name="cn-finance", url="https://news.example.cn/rss.xml", language="zh")
    parsed = parse_document(gbk_feed(fixtures), feed, FETCHED)
    assert len(parsed.items) == 5 and parsed.items[0].title.startswith("三七互娱(002555)")
    news = Runtime("news", RuntimeSettings(**base), redis, RuntimeMetrics())
    await Ingest(news, NewsState(redis, prefix, 3600)).ingest(parsed.items, FETCHED)

    earnings_settings = EarningsSettings(**base, calendar_files=[])
    earnings = Runtime("earnings", earnings_settings, redis, RuntimeMetrics())
    results = fixtures / "china/results_a_share.csv"
    assert await calendar_once(earnings_settings, results, earnings) == 5

    tagger, scorer = TaggerSettings(**base), ScorerSettings(**base)
    alerter = AlerterSettings(**base)
    await drain(
        redis,
        [
            (runtime("tagger", tagger, redis), tagger_setup(tagger)),
            (runtime("scorer", scorer, redis), scorer_setup(scorer)),
            (runtime("alerter", alerter, redis), alerter_setup(alerter)),
        ],
        timeout_s=120,
    )
    await close_replay(redis, alerter)  # the last window closes: no newer input will come
    return [e.payload for e in await read_all(redis, Streams(prefix).alerts)]


@pytest.fixture
async def alerts(redis: Redis, redis_url: str, prefix: str, fixtures: Path) -> list[AlertRaised]:
    return await run_pipeline(redis, redis_url, prefix, fixtures)


def firing(alerts: list[AlertRaised], rule: str) -> list[AlertRaised]:
    return [a for a in alerts if a.rule == rule and a.status is AlertStatus.FIRING and a.card]


def card_naming(alerts: list[AlertRaised], ticker: str) -> AlertRaised:
    found = [
        a
        for a in firing(alerts, "event_card")
        if a.card and ticker in {c.ticker for c in a.card.companies}
    ]
    assert found, [a.summary for a in alerts]
    return found[-1]


async def test_a_gaming_card_names_37_interactive(alerts: list[AlertRaised]) -> None:
    # 三七互娱(002555): 持续加码AI研发 AI提效与产品周期共振 (中财网, 2025-12-10).
    alert = card_naming(alerts, "002555.SZ")
    card = alert.card
    assert card is not None
    # A gaming alert: the text is tagged AI gaming and earnings (前三季度 results), and the
    # card leads with one of the two.
    assert alert.labels["sector"] == "gaming" and Sector.GAMING in card.sectors
    assert card.theme in {Theme.AI_GAMING, Theme.EARNINGS_RESULT}
    assert card.polarity is Polarity.POSITIVE and alert.summary.startswith("▲ Gaming")
    (company,) = [c for c in card.companies if c.ticker == "002555.SZ"]
    assert company.name == "37 Interactive Entertainment"
    assert card.sources[0].title.startswith("三七互娱(002555)")
    assert card.sources[0].url == "https://quotejs.cfi.cn/ybdata.aspx?id=20251210000223"


async def test_an_ai_marketing_card_names_bluefocus(alerts: list[AlertRaised]) -> None:
    alert = card_naming(alerts, "300058.SZ")
    assert alert.card is not None
    assert alert.card.theme is Theme.AI_MARKETING and Sector.MARKETING in alert.card.sectors
    assert alert.labels["sector"] == "marketing" and alert.card.polarity is Polarity.POSITIVE
    (company,) = [c for c in alert.card.companies if c.ticker == "300058.SZ"]
    assert company.name == "BlueFocus Intelligent Communications Group"
    # The two interviews with BlueFocus's CEO on AI marketing (格隆汇, 东方财富).
    assert {s.url for s in alert.card.sources} == {
        "https://pre.gelonghui.com/p/2149160",
        "https://gubaposthk.eastmoney.com/news,300058,1545007301.html",
    }


async def test_the_earnings_miss_names_netease_in_cny(alerts: list[AlertRaised]) -> None:
    (miss,) = firing(alerts, "earnings_surprise")
    card = miss.card
    assert card is not None and miss.labels["ticker"] == "9999.HK"
    assert [(c.ticker, c.name) for c in card.companies] == [("9999.HK", "NetEase")]
    assert card.polarity is Polarity.NEGATIVE and card.sectors == (Sector.GAMING,)
    assert card.headline == (
        "NetEase (9999.HK) missed the EPS consensus: EPS CN¥10.95 vs CN¥14.07 expected, -22.2%"
    )
    revenue = next(f for f in card.figures if f.kind == "revenue")
    assert (revenue.value, revenue.unit, revenue.estimate) == (27.5e9, "CNY", 28.79e9)
    eps = next(f for f in card.figures if f.kind == "eps")  # a currency a share, as the headline
    assert (eps.unit, eps.text) == ("CNY", "EPS CN¥10.95 (Q4) vs CN¥14.07 expected [9999.HK]")
    # The A-share rows carry no consensus: reported, but no surprise to alert on.
    assert not [a for a in firing(alerts, "earnings_surprise") if "002555" in a.summary]


async def test_radar_replay_takes_the_gbk_feed_and_the_results_files(
    redis: Redis, redis_url: str, streams: Streams, fixtures: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "cn_finance.xml"
    feed.write_bytes(gbk_feed(fixtures))
    files = [feed, fixtures / "china/results_a_share.csv", fixtures / "china/results_hk.json"]
    env = service_env(redis_url, streams.prefix)
    result = radar(env, "replay", "--undated", "now", *map(str, files))
    assert result.returncode == 0, result.stderr
    titles = [e.payload.title for e in await read_all(redis, streams.news)]
    assert titles[0].startswith("三七互娱(002555)")
    assert titles[3].startswith("网易上季经调整纯利少赚27%逊预期")
    reports = {e.payload.report_id: e.payload for e in await read_all(redis, streams.earnings)}
    assert set(reports) == {
        "002555.SZ:2024-09-30:results_a_share",
        "002555.SZ:2025-09-30:results_a_share",
        "300413.SZ:2025-06-30:results_a_share",
        "603444.SS:2025-09-30:results_a_share",
        "9999.HK:2025-12-31:results_a_share",
        "0700.HK:2025-06-30:results_hk",
        "9999.HK:2025-12-31:results_hk",
    }
    assert {r.currency for r in reports.values()} == {"CNY"}
