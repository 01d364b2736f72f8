"""Silence matchers and webhook filters name labels and values that exist: a typo is refused
with what would work, instead of a silence that mutes nothing or an endpoint that gets
nothing."""

import pytest
from redis.asyncio import Redis

from radar_schemas import Streams

from ..support.processes import service_env
from .test_cli import radar


@pytest.mark.parametrize(
    ("matcher", "hint"),
    [
        ("sectr=gaming", "use alertname, sector, theme"),
        ("sector=gamin", "sector is one of ai_infra, enterprise_software, film_tv, gaming"),
        ("theme=ai_gamig", "theme is one of"),
    ],
)
async def test_a_silence_on_a_label_or_value_no_alert_carries_is_refused(
    redis: Redis, redis_url: str, streams: Streams, matcher: str, hint: str
) -> None:
    result = radar(service_env(redis_url, streams.prefix), "silence", "add", matcher)
    assert result.returncode == 2 and hint in result.stderr, result.stderr
    assert not [key async for key in redis.scan_iter(match=f"{streams.prefix}:*")]


async def test_a_silence_on_real_labels_is_kept_and_an_unknown_rule_noted(
    redis_url: str, streams: Streams
) -> None:
    env = service_env(redis_url, streams.prefix)
    result = radar(env, "silence", "add", "sector=gaming", "alertname=my_rule", "--for", "1h")
    assert result.returncode == 0, result.stderr
    assert "'my_rule' is not a rule of the bundled rules file" in result.stderr
    listed = radar(env, "silence", "list")
    assert "alertname=my_rule sector=gaming" in listed.stdout


async def test_a_webhook_filter_on_a_sector_that_does_not_exist_is_refused(
    redis_url: str, streams: Streams
) -> None:
    env = service_env(redis_url, streams.prefix)
    url = "https://hooks.example/radar"
    refused = radar(env, "webhooks", "add", url, "--sector", "nosuchsector")
    assert refused.returncode == 2 and "--sector: sector='nosuchsector'" in refused.stderr
    kept = radar(env, "webhooks", "add", url, "--sector", "gaming")
    assert kept.returncode == 0, kept.stderr
    listed = radar(env, "webhooks", "list")
    assert listed.stdout.count("hooks.example") == 1 and "gaming" in listed.stdout
