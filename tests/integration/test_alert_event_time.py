"""Scores and alerts decided on event time, not on arrival: the same real documents replayed
into the real scorer and alerter (on a real Redis) in file order, in event-time order and
shuffled give the same score updates and the same alerts, score rules included; an input
later than the allowed lateness is still decided, and counted; an input waiting for the
watermark survives a restart; one that keeps failing is dropped and counted without holding
the others back."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from radar_alerter.engine import Alerter
from radar_alerter.pending import PendingInputs
from radar_alerter.replay_end import close_replay, rules_of
from radar_alerter.settings import DEFAULT_RULES_FILE, AlerterSettings
from radar_alerter.timeline import MAX_TRIES, Timeline, Timing
from radar_reference import load_companies
from radar_runtime import Emitter
from radar_schemas import AlertRaised, DocumentTagged, EventType, Streams, decode, new_event

from ..support.messages import read_all
from .replay_orders import alerts_of, comparable, orders, score_updates, tagged_entries
from .scoring_helpers import dev_documents

# An allowed lateness longer than the dev set's history: no input is late, whatever the order.
WHOLE_HISTORY = {"allowed_lateness_s": 20 * 365 * 86400.0, "idle_release_s": 3600.0}
SEEDS = [1, 2, 3]
EVENT_RULES = {"event_card", "earnings_surprise"}


async def end(redis: Redis, prefix: str) -> None:
    await close_replay(redis, AlerterSettings(stream_prefix=prefix))


def of_rules(alerts: list[AlertRaised], rules: set[str]) -> list[dict[str, Any]]:
    return comparable([a for a in alerts if a.rule in rules])


async def test_any_arrival_order_gives_the_same_score_updates_and_alerts(
    redis: Redis, redis_url: str, prefix: str
) -> None:
    entries = await tagged_entries(redis, redis_url, prefix)
    runs = orders(entries, SEEDS)
    assert runs["file"] != runs["time"]  # dev.jsonl is not in event-time order
    seen: dict[str, list[AlertRaised]] = {}
    updates: dict[str, list[dict[str, Any]]] = {}
    for n, (name, run) in enumerate(runs.items()):
        run_prefix = f"{prefix}:run{n}"
        seen[name] = await alerts_of(redis, redis_url, run_prefix, run, WHOLE_HISTORY, end)
        updates[name] = await score_updates(redis, run_prefix)
        assert await redis.zcard(f"{run_prefix}:alert:pending") == 0  # every input decided
    # The same updates (sector, as_of, figures, newest signal), in the same order.
    assert len(updates["time"]) >= 50
    assert len({(u["sector"], u["as_of"]) for u in updates["time"]}) == len(updates["time"])
    for name, published in updates.items():
        assert published == updates["time"], name
    # The same alerts, every rule (score, z, momentum and attention ones among them).
    expected = comparable(seen["time"])
    assert {a["rule"] for a in expected} - EVENT_RULES, "no score rule fired: nothing compared"
    assert len({a["fingerprint"] for a in of_rules(seen["time"], EVENT_RULES)}) >= 15
    for name, alerts in seen.items():
        assert comparable(alerts) == expected, name  # rule, card, severity, companies, score
    cards = [a for a in seen["time"] if a.card is not None]
    assert all(a.card.companies for a in cards if a.card)


def tagged_event(doc: DocumentTagged) -> Any:
    return new_event(
        EventType.DOCUMENT_TAGGED,
        doc,
        producer="tagger",
        correlation_id=doc.document_id,
        occurred_at=doc.published_at,
    )


async def test_a_late_input_is_decided_on_arrival_and_counted(
    redis: Redis, prefix: str, tmp_path: Path
) -> None:
    late: list[str] = []
    rules = tmp_path / "rules.yaml"  # the bundled rules, notified without group_wait
    rules.write_text(DEFAULT_RULES_FILE.read_text().replace("group_wait_s: 5", "group_wait_s: 0"))
    settings = AlerterSettings(stream_prefix=prefix, rules_file=rules)
    timing = Timing(lateness_s=3 * 3600, idle_release_s=3600, count_late=late.append)
    alerter = Alerter(redis, prefix, rules_of(settings), load_companies(), timing=timing)
    docs = [d for d in dev_documents(spacing_h=2.0) if d.relevant and d.entities]
    newer, older = docs[6], docs[0]
    assert newer.published_at - older.published_at > timedelta(hours=3)
    within = docs[3].model_copy(
        update={"document_id": "within", "published_at": newer.published_at - timedelta(hours=1)}
    )

    async def arrive(doc: DocumentTagged) -> list[AlertRaised]:
        event = tagged_event(doc)
        out = Emitter("alerter", event.correlation_id, event.event_id)
        await alerter.on_document(event, out)
        return [decode(fields).payload for _, fields in out.outputs]

    assert await arrive(newer) == []  # waits for the watermark (newest - 3 h)
    (card,) = await arrive(older)  # decided up to newest - 3 h already: late, decided now
    assert card.correlation_ids == (older.document_id,) and late == ["tagged"]
    assert await arrive(within) == [] and late == ["tagged"]  # within the lateness: waits
    assert await redis.zcard(f"{prefix}:alert:pending") == 2

    # A restart (or another replica): a new alerter finds both inputs waiting in Redis and
    # decides them in event-time order when the last window closes.
    restarted = Alerter(redis, prefix, rules_of(settings), load_companies(), timing=timing)
    assert await restarted.timeline.release(everything=True) == 2
    alerts = [e.payload for e in await read_all(redis, Streams(prefix).alerts)]
    assert [a.correlation_ids[0] for a in alerts] == ["within", newer.document_id]
    assert await redis.zcard(f"{prefix}:alert:pending") == 0


async def test_an_input_that_keeps_failing_is_dropped_and_counted_not_blocking(
    redis: Redis, prefix: str
) -> None:
    docs = [d for d in dev_documents(spacing_h=2.0) if d.relevant][:2]
    bad, good = (tagged_event(d) for d in docs)
    decided: list[str] = []
    dropped: list[str] = []

    async def decide(event: Any, out: Emitter) -> None:
        if event.event_id == bad.event_id:
            raise ValueError("cannot decide this one")
        decided.append(event.payload.document_id)

    pending = PendingInputs(redis, prefix, Streams(prefix).alerts)
    timeline = Timeline(
        pending, decide, lateness_s=3600, idle_release_s=3600, count_dropped=dropped.append
    )
    for event in (bad, good):
        await timeline.admit(event, Emitter("alerter", event.correlation_id, event.event_id))
    assert decided == [] and await redis.zcard(f"{prefix}:alert:pending") == 2
    # The bad one comes first in event time and holds the rest back. Its first try was the
    # release after the good one arrived (failures there are logged, the input kept).
    for _ in range(MAX_TRIES - 2):
        with pytest.raises(ValueError, match="cannot decide"):
            await timeline.release(everything=True)
    assert decided == [] and dropped == []
    assert await timeline.release(everything=True) == 2  # dropped on the last try, then on
    assert decided == [good.payload.document_id] and dropped == ["tagged"]
    assert await redis.zcard(f"{prefix}:alert:pending") == 0
    # Delivered again (its ack was lost): admitted before, so neither waits nor is decided.
    await timeline.admit(good, Emitter("alerter", good.correlation_id, good.event_id))
    assert decided == [good.payload.document_id]
