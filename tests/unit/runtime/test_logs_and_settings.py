"""Logging redaction and settings."""

import io
import json
from contextlib import redirect_stderr

import pytest
import structlog

from radar_runtime import RuntimeSettings, configure_logging, redact


def test_secrets_are_redacted_by_key_and_inside_text() -> None:
    event = {
        "webhook_secret": "whsec_abc",
        "url": "redis://:hunter2@cache:6379/0",
        "note": "rotated to whsec_c2VjcmV0 today",
        "nested": {"password": "p", "fine": "ok"},
    }
    cleaned = redact(event)
    assert cleaned["webhook_secret"] == "***"
    assert cleaned["url"] == "redis://:***@cache:6379/0"
    assert "c2VjcmV0" not in cleaned["note"]
    assert cleaned["nested"] == {"password": "***", "fine": "ok"}


def test_json_log_lines_carry_bound_context_and_no_secret() -> None:
    stream = io.StringIO()
    with redirect_stderr(stream):
        configure_logging("info", "json")
        structlog.contextvars.bind_contextvars(correlation_id="n-1")
        try:
            structlog.get_logger("t").info("connected", redis_url="redis://u:pw@h:1/0")
        finally:
            structlog.contextvars.clear_contextvars()
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["correlation_id"] == "n-1" and line["event"] == "connected"
    assert "pw" not in line["redis_url"]


def test_settings_read_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://:s3cret@example:6380/1")
    monkeypatch.setenv("RADAR_BATCH_SIZE", "50")
    monkeypatch.setenv("RADAR_STREAM_PREFIX", "desk")
    settings = RuntimeSettings()
    assert settings.batch_size == 50
    assert settings.streams.alerts == "desk:alerts"
    assert settings.redis_url.get_secret_value().endswith("@example:6380/1")
    assert "s3cret" not in repr(settings)


def test_settings_reject_bad_values_naming_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_BATCH_SIZE", "0")
    with pytest.raises(ValueError, match="batch_size"):
        RuntimeSettings()
