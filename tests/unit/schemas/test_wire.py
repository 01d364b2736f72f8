"""Envelope and wire format: strict validation with errors that name the field."""

import json
import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from radar_schemas import (
    AlertRaised,
    AlertStatus,
    EventType,
    NewsItemIngested,
    SchemaError,
    Severity,
    decode,
    encode,
    event_id_time,
    ids,
    new_event,
    new_event_id,
)
from radar_schemas.alerts import AlertEvidence
from radar_schemas.base import MAX_TITLE_CHARS

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def news_fields(**payload_overrides: object) -> dict[str, str]:
    item = NewsItemIngested(item_id="n-1", source="wire", title="Title", published_at=NOW)
    fields = encode(
        new_event(
            EventType.NEWS_INGESTED, item, producer="news", correlation_id="n-1", occurred_at=NOW
        )
    )
    data = json.loads(fields["data"])
    data.update(payload_overrides)
    fields["data"] = json.dumps(data)
    return fields


def test_round_trip_keeps_every_field() -> None:
    item = NewsItemIngested(
        item_id="n-1",
        source="wire",
        title="Token use doubles",
        text="Body",
        published_at=NOW,
        tickers=("GOOGL",),
    )
    event = new_event(
        EventType.NEWS_INGESTED,
        item,
        producer="news",
        correlation_id="n-1",
        occurred_at=NOW,
        causation_id="c-1",
    )
    fields = encode(event)
    assert all(isinstance(v, str) for v in fields.values())
    assert fields["event_type"] == "news.ingested" and fields["correlation_id"] == "n-1"
    assert decode(fields) == event


def test_wire_entry_is_plain_json_readable_without_radar() -> None:
    fields = news_fields()
    assert json.loads(fields["data"])["title"] == "Title"
    assert set(fields) >= {"event_id", "event_type", "occurred_at", "emitted_at", "producer"}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"title": 42}, "payload.title"),
        ({"novelty": "high"}, "payload.novelty"),
        ({"published_at": "2026-11-20T09:00:00"}, "payload.published_at"),
        ({"title": "x" * (MAX_TITLE_CHARS + 1)}, "payload.title"),
        ({"credibility": 1.5}, "payload.credibility"),
    ],
)
def test_invalid_payload_is_rejected_naming_the_field(
    change: dict[str, object], named: str
) -> None:
    with pytest.raises(SchemaError, match=named.replace(".", r"\.")):
        decode(news_fields(**change))


def test_unknown_event_type_is_rejected() -> None:
    fields = news_fields() | {"event_type": "news.exploded"}
    with pytest.raises(SchemaError, match=r"event_type: unknown event type 'news\.exploded'"):
        decode(fields)


def test_naive_header_time_is_rejected() -> None:
    fields = news_fields() | {"occurred_at": "2026-11-20T09:00:00"}
    with pytest.raises(SchemaError, match="occurred_at"):
        decode(fields)


def test_bad_schema_version_and_missing_data_are_named() -> None:
    with pytest.raises(SchemaError, match="schema_version"):
        decode(news_fields() | {"schema_version": "one"})
    fields = news_fields()
    del fields["data"]
    with pytest.raises(SchemaError, match="data: field required"):
        decode(fields)


def test_unknown_entry_field_is_rejected() -> None:
    with pytest.raises(SchemaError, match="colour: unknown entry field"):
        decode(news_fields() | {"colour": "red"})


def test_payload_cannot_shadow_header_fields() -> None:
    fields = news_fields()
    fields["data"] = fields["data"][:-1] + ', "x": 1}, "producer": "forged", "y": {"a": 1'
    with pytest.raises(SchemaError):
        decode(fields)


def test_payload_must_match_event_type() -> None:
    item = NewsItemIngested(item_id="n-1", source="s", title="t", published_at=NOW)
    with pytest.raises(TypeError, match=r"earnings\.reported carries EarningsReported"):
        new_event(
            EventType.EARNINGS_REPORTED, item, producer="p", correlation_id="c", occurred_at=NOW
        )


def test_python_construction_is_strict_too() -> None:
    with pytest.raises(ValueError, match="published_at"):
        NewsItemIngested(
            item_id="n", source="s", title="t", published_at=datetime(2026, 1, 1)
        )  # naive: no time zone


def test_event_ids_are_uuid7_and_sort_by_emission() -> None:
    ids = [new_event_id() for _ in range(5_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 7 for i in ids[:10])
    assert abs(event_id_time(ids[0]) - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_forked_child_draws_other_event_id_bits_than_its_parent() -> None:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next draw, then out without running pytest's teardown
        os.write(write, str(ids._random.getrandbits(64)).encode())
        os._exit(0)
    os.close(write)
    mine = ids._random.getrandbits(64)
    theirs = int(os.read(read, 64).decode())
    os.waitpid(pid, 0)
    assert mine != theirs


def test_a_payload_field_this_reader_does_not_know_is_ignored() -> None:
    # A field added within schema version 1 by a newer producer (as EventCard.day_only was):
    # this reader takes the message and leaves the field out; nothing is dead-lettered.
    fields = news_fields(sentiment_v2="bullish")
    event = decode(fields)
    assert event.payload == decode(news_fields()).payload
    assert "sentiment_v2" not in json.loads(encode(event)["data"])


def test_a_nested_field_this_reader_does_not_know_is_ignored() -> None:
    alert = AlertRaised(
        fingerprint="f1",
        rule="event_card",
        status=AlertStatus.FIRING,
        severity=Severity.WARNING,
        labels={"ticker": "AMCX"},
        summary="▼ AMCX earnings miss",
        evidence=(AlertEvidence(document_id="d-1", title="AMC Networks misses"),),
        starts_at=NOW,
    )
    fields = encode(
        new_event(
            EventType.ALERT_RAISED, alert, producer="alerter", correlation_id="d-1", occurred_at=NOW
        )
    )
    data = json.loads(fields["data"])
    data["evidence"][0]["newer_field"] = {"any": ["shape"]}
    data["newer_top_level"] = 1
    assert decode(fields | {"data": json.dumps(data)}).payload == alert


def test_a_known_field_of_the_wrong_type_is_still_refused() -> None:
    with pytest.raises(SchemaError, match=r"payload\.title: Input should be a valid string"):
        decode(news_fields(title=42, unknown="ignored"))


def test_a_producer_cannot_build_a_message_with_a_field_its_model_lacks() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        NewsItemIngested(
            item_id="n-1", source="wire", title="Title", published_at=NOW, sentiment_v2="x"
        )  # type: ignore[call-arg]
