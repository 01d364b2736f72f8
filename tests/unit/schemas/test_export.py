"""`radar schema export` writes one JSON Schema per message type; real messages validate."""

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from radar_cli.main import main
from radar_earnings.domain.calendar import parse_calendar
from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import parse_feed
from radar_reference import load_companies
from radar_schemas import EventType, NewsItemIngested, encode, new_event
from radar_tagger.documents import tag_document
from radar_tagger.domain.tagger import Tagger
from radar_tagger.domain.taxonomy import load_taxonomy

NOW = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("schemas")
    with pytest.raises(SystemExit) as exit_info:
        main(["schema", "export", str(directory)])
    assert exit_info.value.code == 0
    return directory


def validator(directory: Path, name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((directory / f"{name}.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_one_schema_per_event_type(exported: Path) -> None:
    names = {p.stem for p in exported.glob("*.json")}
    assert names == {t.value for t in EventType} | {"entry"}


def test_real_feed_items_and_their_tags_validate(exported: Path, fixtures: Path) -> None:
    feed = FeedConfig(name="heise", url="x")
    items = parse_feed((fixtures / "feeds/rss-parser__heise.atom").read_bytes(), feed, NOW)
    assert len(items) >= 5
    tagger = Tagger(load_taxonomy(), load_companies())
    news, tagged = validator(exported, "news.ingested"), validator(exported, "document.tagged")
    entry = validator(exported, "entry")
    for item in items:
        event = new_event(
            EventType.NEWS_INGESTED,
            item,
            producer="news",
            correlation_id=item.item_id,
            occurred_at=item.published_at,
        )
        news.validate(event.model_dump(mode="json"))
        entry.validate(encode(event))
        doc = tag_document(tagger, item)
        tagged.validate(
            new_event(
                EventType.DOCUMENT_TAGGED,
                doc,
                producer="tagger",
                correlation_id=item.item_id,
                occurred_at=NOW,
            ).model_dump(mode="json")
        )


def test_real_calendar_reports_validate(exported: Path, fixtures: Path) -> None:
    rows = json.loads((fixtures / "earnings/calendar_fmp_2025-05-09.json").read_text())
    reports, _ = parse_calendar(rows, "fmp")
    check = validator(exported, "earnings.reported")
    for report in reports:
        check.validate(
            new_event(
                EventType.EARNINGS_REPORTED,
                report,
                producer="earnings",
                correlation_id=report.report_id,
                occurred_at=NOW,
            ).model_dump(mode="json")
        )


def test_schema_rejects_what_the_models_reject(exported: Path) -> None:
    check = validator(exported, "news.ingested")
    bad = {"event_id": "x", "event_type": "alert.raised"}
    assert list(check.iter_errors(bad))


def test_a_reader_of_the_schemas_ignores_fields_added_later(exported: Path) -> None:
    # As radar_schemas.decode does: a field added within schema version 1 must not make
    # another language's subscriber refuse the message; the entry's own fields stay closed.
    check = validator(exported, "news.ingested")
    item = NewsItemIngested(item_id="n-1", source="wire", title="Title", published_at=NOW)
    event = new_event(
        EventType.NEWS_INGESTED, item, producer="news", correlation_id="n-1", occurred_at=NOW
    )
    document = json.loads(event.model_dump_json())
    document["payload"]["added_later"] = True
    assert not list(check.iter_errors(document))
    document["payload"]["title"] = 42
    assert list(check.iter_errors(document))
    entry = validator(exported, "entry")
    assert list(entry.iter_errors({**encode(event), "colour": "red"}))
