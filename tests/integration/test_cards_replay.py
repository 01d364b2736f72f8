"""Event cards from a replay of real news through the real services (news ingest with its
story chains, tagger, scorer, alerter) on a real Redis: one card per story, naming its
companies, with the figures the text states and the link of every source; a negative story
alerts as negative."""

import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from radar_alerter.app import make_setup as alerter_setup
from radar_alerter.replay_end import close_replay
from radar_alerter.settings import AlerterSettings
from radar_alerter.state import AlertStateStore
from radar_news.adapters.state import NewsState
from radar_news.ingest import Ingest
from radar_runtime import RuntimeMetrics, RuntimeSettings
from radar_runtime.service import Runtime
from radar_schemas import (
    AlertRaised,
    AlertStatus,
    DocumentTagged,
    NewsItemIngested,
    Polarity,
    Sector,
    Streams,
)
from radar_scorer.app import make_setup as scorer_setup
from radar_scorer.settings import ScorerSettings
from radar_tagger.app import make_setup as tagger_setup
from radar_tagger.settings import TaggerSettings

from ..support.messages import read_all
from .scoring_helpers import drain, runtime

DEV_SET = Path(__file__).parents[1] / "fixtures" / "eval" / "dev.jsonl"
FETCHED = datetime(2026, 11, 20, 9, tzinfo=UTC)
# Two undated reports of Disney's $1 billion OpenAI deal, announced on 11 December 2025 (the
# dated report, ec67b7ec1e, is of 12 December): given the announcement's date.
DATES = {"55872421cb": "2025-12-11T15:00:00+00:00", "b9dfb90ba4": "2025-12-11T18:00:00+00:00"}
# A syndicated copy of a real report (the same text under another publisher's link): the news
# service chains it into the first one's story.
SYNDICATED = "90d6acc0d3"
FAST: dict[str, Any] = {"block_ms": 100, "claim_idle_ms": 2000, "claim_interval_ms": 500}


def dev_items() -> list[NewsItemIngested]:
    """The dev set's news as the news service would ingest it: the link from ``source``, the
    date when there is one; undated items two days apart (separate events)."""
    items = []
    for index, line in enumerate(DEV_SET.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        published = DATES.get(row["id"]) or row["published"]
        if published and len(published) >= 10:
            moment = datetime.fromisoformat(published.replace("Z", "+00:00"))
            at = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        else:
            at = FETCHED + timedelta(days=2 * index)
        url = row["source"] if str(row["source"]).startswith("http") else None
        items.append(
            NewsItemIngested(
                item_id=row["id"],
                source="dev",
                title=row["title"] or "",
                text=row["text"] or "",
                url=url,
                published_at=at,
            )
        )
        if row["id"] == SYNDICATED:
            items.append(
                items[-1].model_copy(
                    update={
                        "item_id": f"{row['id']}-syndicated",
                        "source": "wire",
                        "url": "https://wire.example/meta-ad-business-record",
                        "published_at": at + timedelta(hours=3),
                    }
                )
            )
    return items


async def replay(redis: Redis, redis_url: str, prefix: str, items: list[NewsItemIngested]) -> None:
    base = {"REDIS_URL": redis_url, "stream_prefix": prefix, "consumer_name": "c1", **FAST}
    news = Runtime("news", RuntimeSettings(**base), redis, RuntimeMetrics())
    await Ingest(news, NewsState(redis, prefix, 3600)).ingest(items, FETCHED)
    tagger, scorer, alerter = (
        TaggerSettings(**base),
        ScorerSettings(**base),
        AlerterSettings(**base),
    )
    await drain(
        redis,
        [
            (runtime("tagger", tagger, redis), tagger_setup(tagger)),
            (runtime("scorer", scorer, redis), scorer_setup(scorer)),
            (runtime("alerter", alerter, redis), alerter_setup(alerter)),
        ],
        timeout_s=120,
    )
    # The end of the replay: inputs still waiting for the watermark are decided, and alerts
    # still held for group_wait go out, as the idle release and wall-clock flush would.
    await close_replay(redis, alerter)


def latest_cards(alerts: list[AlertRaised], rule: str = "event_card") -> dict[str, AlertRaised]:
    """The newest notification of each card, by fingerprint."""
    cards: dict[str, AlertRaised] = {}
    for alert in alerts:
        if alert.rule == rule and alert.status is AlertStatus.FIRING:
            cards[alert.fingerprint] = alert
    return cards


@pytest.fixture
async def replayed(
    redis: Redis, redis_url: str, prefix: str
) -> tuple[list[AlertRaised], dict[str, DocumentTagged]]:
    await replay(redis, redis_url, prefix, dev_items())
    streams = Streams(prefix)
    alerts = [e.payload for e in await read_all(redis, streams.alerts)]
    tagged = {e.payload.document_id: e.payload for e in await read_all(redis, streams.tagged)}
    return alerts, tagged


async def test_one_card_per_story_with_companies_figures_and_links(
    replayed: tuple[list[AlertRaised], dict[str, DocumentTagged]], redis: Redis, prefix: str
) -> None:
    alerts, tagged = replayed
    cards = latest_cards(alerts)
    assert len(cards) >= 8, [a.summary for a in cards.values()]

    # No document in two cards: one event, one alert (not one per rule per sector).
    homes: dict[str, set[str]] = defaultdict(set)
    for fp, alert in cards.items():
        for source in alert.card.sources if alert.card else ():
            homes[source.document_id].add(fp)
    assert all(len(fps) == 1 for fps in homes.values()), homes

    for alert in cards.values():
        card = alert.card
        assert card is not None and card.sources and card.companies, alert.summary
        assert alert.correlation_ids == tuple(s.document_id for s in card.sources)
        docs = [tagged[s.document_id] for s in card.sources]
        names = {c.entity_id for c in card.companies}
        assert names & {e.entity_id for d in docs for e in d.entities}
        if any(d.quantities for d in docs):  # the text states a figure: the card shows it
            assert card.figures and all(f.text for f in card.figures), alert.summary
        for source, doc in zip(card.sources, docs, strict=True):
            assert source.url == doc.url and source.title == doc.title
            assert source.published_at == doc.published_at
        if any(d.url for d in docs):  # a source had a link: the alert carries it
            assert any(e.url for e in alert.evidence)
        assert card.why_now and card.theme and card.polarity is not Polarity.NEUTRAL
        assert alert.labels["sector"] in {s.value for s in card.sectors}
        assert alert.severity.value != "critical" or card.confirmations >= 3

    # The syndicated copy joined its story's card (the same fingerprint): the card gained the
    # source, one independent report still, so no second alert was sent.
    (meta,) = [a for a in cards.values() if a.card and SYNDICATED in a.correlation_ids]
    assert len([a for a in alerts if a.fingerprint == meta.fingerprint]) == 1
    held = await AlertStateStore(redis, prefix).current(meta.fingerprint)
    assert held is not None and held.card is not None
    assert {s.document_id for s in held.card.sources} == {SYNDICATED, f"{SYNDICATED}-syndicated"}
    assert held.card.confirmations == 1
    assert all(s.url for s in held.card.sources)
    assert meta.card is not None and {c.ticker for c in meta.card.companies} >= {"META"}
    assert any(f.unit == "USD" and f.value == pytest.approx(58.1e9) for f in meta.card.figures)

    # Two outlets' reports of Disney's OpenAI deal, the same day: one card, two sources.
    (disney,) = [a for a in cards.values() if a.card and "ec67b7ec1e" in a.correlation_ids]
    assert disney.card is not None and "55872421cb" in disney.correlation_ids
    assert disney.card.confirmations == 2 and disney.severity.value == "warning"
    assert {"DIS", "openai"} <= {c.entity_id for c in disney.card.companies}
    assert any(f.value == pytest.approx(1e9) for f in disney.card.figures)


async def test_a_downbeat_outlook_and_an_export_ban_alert_as_negative(
    replayed: tuple[list[AlertRaised], dict[str, DocumentTagged]],
) -> None:
    alerts, _ = replayed
    cards = latest_cards(alerts)
    # Take-Two's shares fell 13% on a downbeat outlook (dev 8d14380f96).
    (outlook,) = [a for a in cards.values() if "8d14380f96" in a.correlation_ids]
    assert outlook.card and outlook.card.polarity is Polarity.NEGATIVE
    assert outlook.summary.startswith("▼") and "negative" in outlook.summary
    assert outlook.labels["polarity"] == "negative" and outlook.labels["sector"] == "gaming"
    assert any(f.value == -13 and f.unit == "percent" for f in outlook.card.figures)
    assert outlook.card.sources[0].url and outlook.card.sources[0].url.startswith("http")
    # The U.S. stops Nvidia's H20 sales to China (dev e46e21e729): a ban, negative.
    (ban,) = [a for a in cards.values() if "e46e21e729" in a.correlation_ids]
    assert ban.card and ban.card.polarity is Polarity.NEGATIVE
    assert [c.ticker for c in ban.card.companies] == ["NVDA"]
    assert ban.labels["sector"] == Sector.AI_INFRA.value
