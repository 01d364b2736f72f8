"""Pure delivery rules: the SSRF guard, what an answer means, when to retry, the breaker,
which endpoint wants which alert."""

import random
from datetime import UTC, datetime

import pytest

from radar_notifier.domain.breaker import CircuitBreaker
from radar_notifier.domain.endpoints import Endpoint, wants
from radar_notifier.domain.guard import TargetRefused, choose_address, is_public
from radar_notifier.domain.retry import RetrySchedule, Verdict, judge
from radar_schemas import Severity
from tests.support.webhook_receivers import alert_event

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "100.64.0.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2001:db8::1",
        "fec0::1",  # site-local (deprecated)
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a00:1::",  # 6to4 of 10.0.0.1
        "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
        "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "2001:0:5db8:d70e::80ff:fffe",  # Teredo: public server, client 127.0.0.1
    ],
)
def test_guard_refuses_non_public_addresses(address: str) -> None:
    assert not is_public(address)
    with pytest.raises(TargetRefused):
        choose_address("target", [address], allow_private=False)
    assert choose_address("target", [address], allow_private=True) == address


def test_guard_accepts_public_addresses_and_refuses_a_mix() -> None:
    assert choose_address("h", ["93.184.215.14", "2606:2800:21f:cb07::1"], allow_private=False)
    assert is_public("2002:5db8:d70e::1")  # 6to4 of a public IPv4 address
    with pytest.raises(TargetRefused):
        choose_address("h", ["93.184.215.14", "10.0.0.1"], allow_private=False)
    with pytest.raises(TargetRefused):
        choose_address("h", [], allow_private=True)


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, Verdict.DELIVERED),
        (204, Verdict.DELIVERED),
        (301, Verdict.REJECTED),
        (302, Verdict.REJECTED),
        (400, Verdict.REJECTED),
        (410, Verdict.DISABLE),
        (429, Verdict.RETRY),
        (500, Verdict.RETRY),
        (503, Verdict.RETRY),
        (None, Verdict.RETRY),
    ],
)
def test_judge(status: int | None, verdict: Verdict) -> None:
    assert judge(status) is verdict


def test_default_schedule_and_jitter() -> None:
    schedule, rng = RetrySchedule(), random.Random(7)
    assert schedule.max_attempts == 8
    delays = [schedule.next_delay_s(n, rng=rng) for n in range(1, 8)]
    for delay, base in zip(delays, (5, 300, 1800, 7200, 18000, 36000, 36000), strict=True):
        assert delay is not None and base * 0.9 <= delay <= base * 1.1
    assert schedule.next_delay_s(8) is None


def test_retry_after_is_honoured_and_capped() -> None:
    schedule = RetrySchedule((0.0, 1.0, 2.0))
    assert schedule.next_delay_s(1, retry_after_s=1.5) == 1.5
    assert schedule.next_delay_s(1, retry_after_s=86400) == 2.0


def test_breaker_opens_after_failures_and_probes_once_after_cooldown() -> None:
    breaker = CircuitBreaker(threshold=2, cooldown_s=10)
    for _ in range(2):
        assert breaker.allows(0)
        breaker.record(False, 0)
    assert not breaker.allows(5)
    assert breaker.retry_at(5) == 10
    assert breaker.allows(11) and not breaker.allows(11)  # one probe at a time
    breaker.record(True, 11)
    assert breaker.allows(11) and breaker.failures == 0


def test_endpoint_filters() -> None:
    endpoint = Endpoint(
        endpoint_id="ep_1",
        url="https://hooks.example/x",
        secrets=[SECRET],
        sectors=["gaming"],
        min_severity=Severity.WARNING,
        created_at=NOW,
    )
    assert wants(endpoint, alert_event("gaming", Severity.CRITICAL).payload)
    assert not wants(endpoint, alert_event("gaming", Severity.INFO).payload)
    assert not wants(endpoint, alert_event("film_tv").payload)
    assert not wants(endpoint.model_copy(update={"rules": ["other"]}), alert_event().payload)
    disabled = endpoint.model_copy(update={"disabled_reason": "HTTP 410"})
    assert not wants(disabled, alert_event().payload)
    with pytest.raises(ValueError, match="http"):
        Endpoint(endpoint_id="e", url="ftp://x.example", secrets=[SECRET], created_at=NOW)
