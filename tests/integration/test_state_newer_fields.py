"""State a newer release wrote (a field added within schema version 1) is read by this one:
after a rollback, or with replicas of two releases side by side, nothing stops on it."""

import json
from datetime import UTC, datetime

from redis.asyncio import Redis

from radar_alerter.domain.lifecycle import AlertRecord
from radar_alerter.state import AlertStateStore
from radar_schemas import AlertStatus, Polarity, Theme
from radar_schemas.alerts import CardSource, EventCard

AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


async def test_an_alert_record_with_fields_this_release_lacks_is_read(
    redis: Redis, prefix: str
) -> None:
    card = EventCard(
        key="story-1",
        theme=Theme.AI_GAMING,
        polarity=Polarity.POSITIVE,
        headline="Game studio says generative AI tools cut asset production time in half",
        sources=(CardSource(document_id="d-1", title="Game studio says …"),),
    )
    record = AlertRecord(status=AlertStatus.FIRING, starts_at=AT, last_at=AT, card=card)
    stored = json.loads(record.model_dump_json())
    stored["acknowledged_by"] = "someone"  # a field of a newer release's record
    stored["card"]["headline_zh"] = "游戏工作室称生成式AI工具将素材制作时间减半"  # and of its card
    store = AlertStateStore(redis, prefix)
    await redis.hset(store.key("fp-1"), "record", json.dumps(stored))
    assert await store.current("fp-1") == record
