"""Group windows held in Redis and closed by event time, across two alerter replicas."""

from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from radar_alerter import groups
from radar_alerter.groups import GroupBuffer, Held
from radar_schemas import Streams

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)
WAIT = timedelta(seconds=30)
FAR_WALL_MS = 10**15  # the wall-clock flush stays out of these tests


async def hold(buffer: GroupBuffer, identity: str, at: datetime = T0) -> int:
    return await buffer.hold(
        "sector=gaming",
        identity,
        {"event_id": identity, "data": "{}"},
        opens=True,
        at=at,
        due=at + WAIT,
        wall_due_ms=FAR_WALL_MS,
    )


async def published(redis: Redis, streams: Streams) -> list[str]:
    return [f["event_id"] for _, f in await redis.xrange(streams.alerts)]


async def test_own_hold_closes_at_once_and_another_replicas_within_the_refresh(
    redis: Redis, streams: Streams, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, other = (GroupBuffer(redis, streams.prefix, streams.alerts) for _ in range(2))
    assert await mine.flush_due(event_time=T0) == 0  # nothing open: remembered
    assert await hold(other, "a1") is Held.HELD
    # Within the refresh interval this replica has not seen the other's window yet.
    assert await mine.flush_due(event_time=T0 + timedelta(minutes=1)) == 0
    monkeypatch.setattr(groups, "DUE_REFRESH_S", 0.0)
    assert await mine.flush_due(event_time=T0 + timedelta(minutes=1)) == 1
    assert await published(redis, streams) == ["a1"]

    monkeypatch.setattr(groups, "DUE_REFRESH_S", 3600.0)
    assert await mine.flush_due(event_time=T0) == 0
    assert await hold(mine, "a2") is Held.HELD
    assert await mine.flush_due(event_time=T0 + timedelta(seconds=29)) == 0
    assert await mine.flush_due(event_time=T0 + timedelta(seconds=30)) == 1
    assert await published(redis, streams) == ["a1", "a2"]


async def test_an_alert_never_joins_a_window_that_closed_before_it(
    redis: Redis, streams: Streams, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replica that has not yet seen another's window still keeps event-time groups."""
    monkeypatch.setattr(groups, "DUE_REFRESH_S", 3600.0)
    mine, other = (GroupBuffer(redis, streams.prefix, streams.alerts) for _ in range(2))
    assert await mine.flush_due(event_time=T0) == 0
    assert await hold(other, "a1") is Held.HELD  # window closes at T0 + 30 s
    assert await hold(other, "a2", T0 + timedelta(seconds=10)) is Held.HELD  # joins it
    late = T0 + timedelta(minutes=1)
    assert await mine.flush_due(event_time=late) == 0  # not seen yet
    assert await hold(mine, "b1", late) is Held.HELD  # the closed window goes out first
    assert await published(redis, streams) == ["a1", "a2"]
    assert await mine.flush_due(event_time=late + WAIT) == 1
    assert await published(redis, streams) == ["a1", "a2", "b1"]
