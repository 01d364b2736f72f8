"""Each company's earlier surprises, kept in Redis for SUE: a hash per (ticker, metric)
from period key to surprise. Written only after the reports carrying them are published."""

from collections.abc import Iterable, Mapping

from redis.asyncio import Redis

from radar_schemas.earnings import MetricName

from ..domain.calendar import History


class SurpriseHistory:
    """Reads and writes the surprise history under ``{prefix}:earnings:surprises:``."""

    def __init__(self, redis: "Redis", prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}:earnings:surprises"

    def _key(self, ticker: str, metric: MetricName) -> str:
        return f"{self._prefix}:{ticker}:{metric.value}"

    async def load(self, tickers: Iterable[str]) -> History:
        """The recorded surprises of these tickers, every metric."""
        keys = [(t, m) for t in sorted(set(tickers)) for m in (MetricName.EPS, MetricName.REVENUE)]
        async with self._redis.pipeline(transaction=False) as pipe:
            for ticker, metric in keys:
                pipe.hgetall(self._key(ticker, metric))
            found = await pipe.execute()
        return {
            key: [(period, float(value)) for period, value in entries.items()]
            for key, entries in zip(keys, found, strict=True)
            if entries
        }

    async def record(self, surprises: Mapping[tuple[str, MetricName], Mapping[str, float]]) -> None:
        """Keep these surprises (the same period again overwrites: idempotent)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for (ticker, metric), by_period in surprises.items():
                if by_period:
                    pipe.hset(
                        self._key(ticker, metric), mapping={p: str(v) for p, v in by_period.items()}
                    )
            await pipe.execute()
