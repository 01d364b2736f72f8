"""Issue 16, item 5: webhook URLs are normalised and validated once, before they are stored
(IPv4 in any form a resolver accepts, IDNA), the guard judges the address they name, and
secrets must be Standard Webhooks secrets of at least 24 bytes."""

import base64
from datetime import UTC, datetime
from ipaddress import ip_network

import pytest
from pydantic import ValidationError

from radar_notifier.domain.endpoints import Endpoint
from radar_notifier.domain.signing import new_secret
from radar_notifier.settings import NotifierSettings
from radar_runtime.netguard import (
    InvalidTarget,
    TargetPolicy,
    TargetRefused,
    normalise_url,
    parse_ipv4,
)

NOW = datetime(2026, 12, 1, tzinfo=UTC)
STRONG = "whsec_" + base64.b64encode(b"s" * 24).decode()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.000.000.001/", "http://127.0.0.1/"),  # zero-padded: octal parts
        ("http://0177.0.0.1/hook", "http://127.0.0.1/hook"),  # octal
        ("http://2130706433/hook", "http://127.0.0.1/hook"),  # one 32-bit integer
        ("http://0x7f.1/hook", "http://127.0.0.1/hook"),  # hex, two parts
        ("http://0x7F000001:8080/hook?a=1", "http://127.0.0.1:8080/hook?a=1"),
        ("http://10.1/", "http://10.0.0.1/"),
        ("http://１２７.0.0.1/", "http://127.0.0.1/"),  # full-width digits map first
        ("http://169.254.169.254./latest", "http://169.254.169.254/latest"),
        ("HTTPS://Hooks.Example.COM:443/In?x=Y#frag", "https://hooks.example.com/In?x=Y"),
        ("http://hooks.example.com:80", "http://hooks.example.com/"),
        ("https://bücher.example/hook", "https://xn--bcher-kva.example/hook"),
        ("http://[::FFFF:127.0.0.1]:9/x", "http://[::ffff:7f00:1]:9/x"),
        ("https://user:pw@hooks.example.com/x", "https://user:pw@hooks.example.com/x"),
    ],
)
def test_urls_are_normalised(given: str, expected: str) -> None:
    assert normalise_url(given) == expected
    assert normalise_url(expected) == expected  # idempotent


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("ftp://example.com/x", "http"),
        ("file:///etc/passwd", "http"),
        ("http:///nohost", "host"),
        ("http://256.0.0.1/", "IPv4"),
        ("http://1.2.3.4.5/", "IPv4"),
        ("http://0x100000000/", "IPv4"),
        ("http://1.2.3.09/", "IPv4"),  # 09 is not octal
        ("http://[::1/", "URL"),
        ("http://example.com:99999/", "port"),
        ("http://exa mple.com/", "host"),
        ("http://[fe80::1%25eth0]/", "zone"),
        ("http://xn--a.example/", "host"),  # invalid punycode
    ],
)
def test_unusable_urls_are_refused_with_a_reason(given: str, says: str) -> None:
    with pytest.raises(InvalidTarget, match=says):
        normalise_url(given)


def test_odd_ipv4_forms_parse_as_a_resolver_would() -> None:
    assert str(parse_ipv4("127.1")) == "127.0.0.1"
    assert str(parse_ipv4("0")) == "0.0.0.0"
    assert parse_ipv4("example.com") is None
    assert parse_ipv4("1.example") is None  # not ending in a number: a name


@pytest.mark.parametrize(
    "url",
    [
        "http://127.000.000.001/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0/",
        "http://[::ffff:169.254.169.254]/",
        "http://[::]/",
        "http://224.0.0.1/",
    ],
)
def test_policy_judges_the_address_an_odd_form_names(url: str) -> None:
    with pytest.raises(TargetRefused):
        TargetPolicy().check_url(url)
    TargetPolicy(allow_private=True).check_url(url)


def test_allowed_networks_let_through_only_those_networks() -> None:
    policy = TargetPolicy(allowed_networks=(ip_network("127.0.0.0/8"),))
    policy.check_url("http://127.0.0.1:9/")
    policy.check_url("http://[::ffff:127.0.0.1]:9/")  # IPv4-mapped: judged as IPv4
    policy.check_url("https://hooks.example.com/")  # names are judged when resolved
    with pytest.raises(TargetRefused):
        policy.check_url("http://169.254.169.254/")
    with pytest.raises(TargetRefused):
        policy.check("name.test", ["127.0.0.1", "10.0.0.1"])


def test_endpoint_stores_the_normalised_url() -> None:
    endpoint = Endpoint(
        endpoint_id="ep_1", url="http://127.000.000.001:9/hook", secrets=[STRONG], created_at=NOW
    )
    assert endpoint.url == "http://127.0.0.1:9/hook"
    with pytest.raises(ValidationError, match="IPv4"):
        Endpoint(endpoint_id="ep_1", url="http://1.2.3.09/", secrets=[STRONG], created_at=NOW)


@pytest.mark.parametrize(
    "secret",
    [
        "whsec_AA==",  # one byte
        "whsec_" + base64.b64encode(b"s" * 23).decode(),
        base64.b64encode(b"s" * 32).decode(),  # no whsec_ prefix
        "whsec_",
        "whsec_!!notbase64!!",
    ],
)
def test_weak_or_malformed_secrets_are_refused(secret: str) -> None:
    with pytest.raises(ValidationError, match="at least 24 bytes"):
        Endpoint(endpoint_id="ep_1", url="https://h.example/", secrets=[secret], created_at=NOW)
    with pytest.raises(ValidationError, match="at least 24 bytes") as caught:
        NotifierSettings(webhook_urls=["https://h.example/"], webhook_secret=secret)
    if len(secret) > len("whsec_"):  # printed at start-up: the secret must not be in it
        assert secret.removeprefix("whsec_") not in str(caught.value)


def test_strong_secrets_pass() -> None:
    Endpoint(endpoint_id="ep_1", url="https://h.example/", secrets=[STRONG], created_at=NOW)
    Endpoint(endpoint_id="ep_1", url="https://h.example/", secrets=[new_secret()], created_at=NOW)


def test_stored_endpoints_load_even_when_they_predate_validation() -> None:
    """An endpoint stored before this validation still loads (the sender then judges its
    URL and dead-letters what it cannot use), so one old entry cannot stop every delivery."""
    raw = Endpoint.model_construct(
        endpoint_id="ep_old",
        url="http://[::1/hook",
        secrets=["whsec_AA=="],
        created_at=NOW,
    ).model_dump_json()
    loaded = Endpoint.model_validate_json(raw, context={"stored": True})
    assert loaded.url == "http://[::1/hook" and loaded.secrets == ["whsec_AA=="]


def test_settings_validate_env_urls_and_judge_literal_addresses() -> None:
    with pytest.raises(ValidationError, match="IPv4"):
        NotifierSettings(webhook_urls=["http://1.2.3.09/"], webhook_secret=STRONG)
    with pytest.raises(ValidationError, match="refused"):
        NotifierSettings(webhook_urls=["http://127.000.000.001/"], webhook_secret=STRONG)
    allowed = NotifierSettings(
        webhook_urls=["http://127.000.000.001/"],
        webhook_secret=STRONG,
        allow_private_targets=True,
    )
    assert allowed.webhook_urls == ["http://127.000.000.001/"]  # the env id derives from it
    networks = NotifierSettings(
        webhook_urls=["http://10.0.0.9/"],
        webhook_secret=STRONG,
        allowed_target_networks=["10.0.0.0/24"],
    )
    assert networks.target_policy().permits("10.0.0.9")
    assert not networks.target_policy().permits("10.0.1.9")
