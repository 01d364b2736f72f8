"""The end of a replay: the last window closes at once instead of after ``idle_release_s``.

A replay (a backtest, a test) has no newer input to move the watermark past its newest ones;
this decides every input still waiting, as the idle release would, and publishes the groups
still held for group_wait, as the wall-clock flush would."""

from redis.asyncio import Redis

from radar_reference import load_companies

from .domain.load import load_rules, with_score_thresholds
from .domain.rules import RuleSet
from .engine import Alerter
from .settings import AlerterSettings

_FAR_WALL_MS = 2**62


def rules_of(settings: AlerterSettings) -> RuleSet:
    """The settings' rule file with their score bounds (an invalid file or bound raises)."""
    return with_score_thresholds(
        load_rules(settings.rules_file), settings.score_fire_above, settings.score_resolve_below
    )


async def close_replay(redis: "Redis", settings: AlerterSettings) -> int:
    """Decide every waiting input and publish every held group; how many inputs decided."""
    alerter = Alerter(redis, settings.stream_prefix, rules_of(settings), load_companies())
    decided = await alerter.timeline.release(everything=True)
    await alerter.groups.flush_due(wall_ms=_FAR_WALL_MS)
    return decided
