"""The end of a replay: the scorer's last intervals close at once instead of after
``idle_release_s``.

A replay (a backtest, a test) has no newer signal to move the watermark past its newest
intervals; this publishes every update still due, as the idle release would. Run it before
the alerter's own end of replay, and let the alerter read the updates it publishes."""

from redis.asyncio import Redis

from radar_runtime import Publisher

from .release import Releaser
from .settings import ScorerSettings
from .state import ScoreStore


async def close_replay(redis: "Redis", settings: ScorerSettings) -> int:
    """Publish every update still due under the settings' prefix; how many."""
    prefix = settings.stream_prefix
    store = ScoreStore(
        redis, prefix, settings.coalesce_interval_s, publisher=Publisher.detached(redis, prefix)
    )
    releaser = Releaser(store, settings.params(), settings.streams.scores, settings.timing())
    return await releaser.release(everything=True)
