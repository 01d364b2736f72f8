"""The alerter on a real Redis: repeat interval, resolve, redelivery, silences from the
command line, inhibition by an earnings surprise, group_wait."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from radar_alerter.domain.load import load_rules
from radar_alerter.engine import Alerter
from radar_cli.silence import parse_duration
from radar_reference import load_companies
from radar_runtime import Emitter
from radar_schemas import (
    AlertRaised,
    AlertStatus,
    Contribution,
    EventType,
    Sector,
    SectorScored,
    Streams,
    decode,
    new_event,
)
from tests.support.earnings import make_report

from ..support.messages import read_all
from ..support.processes import service_env
from .test_cli import radar

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)
RULES = """
repeat_interval_s: 3600
group_wait_s: {wait}
rules:
  - {{name: score_high, kind: threshold, metric: score, fire_above: 1.0, resolve_below: 0.5}}
  - {{name: earnings_surprise, kind: earnings, min_abs_sue: 2, min_abs_surprise_pct: 15}}
inhibit:
  - {{source_rule: earnings_surprise, target_rules: [score_high], equal: [sector],
     duration_s: 86400}}
"""


def make_alerter(
    redis: Redis, prefix: str, tmp_path: Path, wait_s: float = 0, counted: list[str] | None = None
) -> Alerter:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES.format(wait=wait_s))
    found = [] if counted is None else counted
    return Alerter(
        redis,
        prefix,
        load_rules(path),
        load_companies(),
        count=lambda rule, severity, status, outcome: found.append(f"{rule}/{status}/{outcome}"),
    )


def scored_event(minutes: float, score: float, sector: Sector = Sector.GAMING) -> Any:
    at = T0 + timedelta(minutes=minutes)
    contribution = Contribution(
        document_id=f"doc-{minutes}", title="Studio ships AI", delta=score, at=at
    )
    payload = SectorScored(
        sector=sector,
        as_of=at,
        score=score,
        attention=1.0,
        signals=1,
        top_contributors=(contribution,),
    )
    return new_event(
        EventType.SECTOR_SCORED,
        payload,
        producer="scorer",
        correlation_id=f"doc-{minutes}",
        occurred_at=at,
    )


def earnings_event(day: date, surprise_pct: float) -> Any:
    report = make_report(
        "EA", report_id=f"ea-{day}", report_date=day, eps_surprise_pct=surprise_pct
    )
    at = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    return new_event(
        EventType.EARNINGS_REPORTED,
        report,
        producer="earnings",
        correlation_id=report.report_id,
        occurred_at=at,
    )


async def handle(alerter: Alerter, event: Any) -> list[AlertRaised]:
    """Decide one input as its turn in event time comes (the watermark's part is tested in
    test_alert_event_time); the alerts it publishes."""
    out = Emitter("alerter", event.correlation_id, event.event_id)
    await alerter.decide(event, out)
    return [decode(fields).payload for _, fields in out.outputs]


async def test_repeat_interval_resolve_and_redelivery(
    redis: Redis, prefix: str, tmp_path: Path
) -> None:
    alerter = make_alerter(redis, prefix, tmp_path)
    first = scored_event(0, 1.2)
    (fired,) = await handle(alerter, first)
    assert fired.status is AlertStatus.FIRING and fired.correlation_ids == ("doc-0",)
    # Redelivered (its first output was never committed): the same decision, the same alert.
    assert await handle(alerter, first) == [fired]
    # The same score published again (a replay, a new event id): nothing.
    assert await handle(alerter, scored_event(0, 1.2)) == []
    assert await handle(alerter, scored_event(30, 1.4)) == []
    assert await handle(alerter, first) == [fired]  # again, after a later event changed the state
    (repeat,) = await handle(alerter, scored_event(61, 1.3))
    assert repeat.notification == 2 and repeat.fingerprint == fired.fingerprint
    assert await handle(alerter, scored_event(70, 0.7)) == []  # inside the hysteresis band
    (resolved,) = await handle(alerter, scored_event(80, 0.3))
    assert resolved.status is AlertStatus.RESOLVED
    assert resolved.ends_at == T0 + timedelta(minutes=80) and resolved.starts_at == T0


async def test_silence_from_the_command_line(
    redis: Redis, redis_url: str, prefix: str, tmp_path: Path
) -> None:
    env = service_env(redis_url, prefix)
    added = radar(
        env, "silence", "add", "sector=gaming", "--for", "2h", "--comment", "earnings week"
    )
    assert added.returncode == 0, added.stderr
    silence_id = added.stdout.split()[0]
    listed = radar(env, "silence", "list")
    assert (
        silence_id in listed.stdout
        and "active" in listed.stdout
        and "earnings week" in listed.stdout
    )

    counted: list[str] = []
    alerter = make_alerter(redis, prefix, tmp_path, counted=counted)
    assert await handle(alerter, scored_event(0, 1.5)) == []  # silenced
    assert counted == ["score_high/firing/muted"]
    assert await handle(alerter, scored_event(0, 1.5, Sector.FILM_TV)) != []  # other sector

    expired = radar(env, "silence", "expire", silence_id)
    assert expired.returncode == 0 and "expired" in expired.stdout
    (late,) = await handle(alerter, scored_event(5, 1.5))  # still firing: notified now
    assert late.status is AlertStatus.FIRING and late.starts_at == T0
    assert radar(env, "silence", "expire", "nope").returncode == 2
    assert radar(env, "silence", "add", "gaming", "--for", "2h").returncode == 2


async def test_earnings_surprise_inhibits_the_sector_score_alert(
    redis: Redis, prefix: str, tmp_path: Path
) -> None:
    alerter = make_alerter(redis, prefix, tmp_path)
    (surprise,) = await handle(alerter, earnings_event(T0.date(), 25.0))
    assert surprise.rule == "earnings_surprise" and surprise.labels == {
        "sector": "gaming",
        "ticker": "EA",
    }
    assert await handle(alerter, scored_event(60, 1.5)) == []  # muted for a day of event time
    assert await handle(alerter, scored_event(60, 1.5, Sector.FILM_TV)) != []  # other sector
    (after,) = await handle(alerter, scored_event(24 * 60 + 1, 1.5))
    assert after.rule == "score_high" and after.starts_at == T0 + timedelta(minutes=60)


async def test_group_wait_holds_a_new_group_and_sends_it_in_event_time_order(
    redis: Redis, prefix: str, tmp_path: Path
) -> None:
    counted: list[str] = []
    alerter = make_alerter(redis, prefix, tmp_path, wait_s=600, counted=counted)
    streams = Streams(prefix)
    first = scored_event(0, 1.2)
    assert await handle(alerter, first) == []  # held: the group waits 10 minutes
    assert await handle(alerter, first) == []  # a redelivery is held only once
    assert counted == ["score_high/firing/held", "score_high/firing/redelivered"]
    surprise_event = earnings_event(T0.date(), 30.0)
    assert await handle(alerter, surprise_event) == []  # the same group (sector=gaming)
    assert counted[-1] == "earnings_surprise/firing/held"
    assert await redis.xlen(streams.alerts) == 0
    await handle(alerter, scored_event(11, 1.2, Sector.FILM_TV))  # event time moves past the wait
    sent = [e.payload for e in await read_all(redis, streams.alerts)]
    assert [a.rule for a in sent] == ["earnings_surprise", "score_high"]  # event-time order
    assert {a.group_key for a in sent} == {"sector=gaming"}
    assert await alerter.groups.flush_due(wall_ms=2**62) == 1  # film_tv, on the wall clock
    assert await redis.xlen(streams.alerts) == 3


@pytest.mark.parametrize("value", ["30x", "-2h", ""])
def test_silence_rejects_bad_durations(value: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(value)
