"""Issue 16, item 1: entry fields are decoded from bytes one by one; what is not UTF-8 makes
the entry invalid and is kept, base64-encoded, for its dead letter."""

import base64

import pytest

from radar_schemas.wire import NotUtf8Error, fields_from_bytes


def test_fields_that_are_not_utf8_are_kept_base64_encoded_and_named() -> None:
    raw = {b"event_type": b"news.ingested", b"data": b"\xff{}", b"\xfe": b"v"}
    with pytest.raises(NotUtf8Error) as raised:
        fields_from_bytes(raw)
    original = raised.value.original
    assert original["event_type"] == "news.ingested"
    assert base64.b64decode(original["data"]) == b"\xff{}"
    assert original[base64.b64encode(b"\xfe").decode()] == "v"
    assert "data: not valid UTF-8 (invalid start byte at byte 0)" in str(raised.value)
    assert "field name '/g==': not valid UTF-8" in str(raised.value)


def test_utf8_fields_decode_to_text() -> None:
    assert fields_from_bytes({b"data": "é".encode()}) == {"data": "é"}
