"""Issue 16, item 2: the envelope is decoded without splicing ``data`` into JSON text, and
unknown schema versions are refused."""

import json

import pytest

from radar_schemas import SchemaError, decode, encode
from tests.support.messages import news_event


def news_fields(**payload_overrides: object) -> dict[str, str]:
    fields = encode(news_event(1))
    fields["data"] = json.dumps(json.loads(fields["data"]) | payload_overrides)
    return fields


@pytest.mark.parametrize(
    "appended",
    [
        ',"event_id":"spoofed"',
        ',"causation_id":"spoofed"',
        ',"producer":"forged","correlation_id":"n-999"',
    ],
)
def test_text_appended_to_data_cannot_set_envelope_fields(appended: str) -> None:
    fields = news_fields()
    fields["data"] += appended
    with pytest.raises(SchemaError, match=r"^data: Invalid JSON"):
        decode(fields)


def test_data_must_be_one_json_object() -> None:
    fields = news_fields() | {"data": "[]"}
    with pytest.raises(SchemaError, match=r"^payload: Input should be an object"):
        decode(fields)


@pytest.mark.parametrize("version", ["99", "2"])
def test_unknown_schema_version_is_refused_naming_it(version: str) -> None:
    fields = news_fields() | {"schema_version": version}
    with pytest.raises(SchemaError, match=f"schema_version: .*unknown schema version {version}"):
        decode(fields)


def test_header_and_payload_errors_are_reported_together() -> None:
    fields = news_fields(title=42) | {"occurred_at": "2026-11-20T09:00:00"}
    with pytest.raises(SchemaError) as raised:
        decode(fields)
    assert "occurred_at: Input should have timezone info" in str(raised.value)
    assert "payload.title: Input should be a valid string" in str(raised.value)
