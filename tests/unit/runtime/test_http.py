"""How long a Retry-After header (429, 503, a webhook receiver) asks a client to wait."""

from datetime import UTC, datetime

from radar_runtime.http import retry_after_s

NOW = datetime(2025, 5, 9, 12, 0, 0, tzinfo=UTC)


def test_seconds_and_http_dates() -> None:
    assert retry_after_s("120", NOW) == 120.0
    assert retry_after_s(" 0 ", NOW) == 0.0
    assert retry_after_s("Fri, 09 May 2025 12:00:30 GMT", NOW) == 30.0
    assert retry_after_s("Fri, 09 May 2025 11:59:00 GMT", NOW) == 0.0  # already past
    assert retry_after_s("Fri, 09 May 2025 12:02:00", NOW) == 120.0  # no zone: UTC


def test_absent_or_unreadable_is_none() -> None:
    assert retry_after_s(None, NOW) is None
    assert retry_after_s("", NOW) is None
    assert retry_after_s("soon", NOW) is None
    assert retry_after_s("-5", NOW) is None
