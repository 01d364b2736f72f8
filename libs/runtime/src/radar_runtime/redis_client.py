"""The Redis client every service uses: retries with backoff and jitter on connection errors."""

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError, TimeoutError


def connect(url: str, *, retries: int = 8) -> "Redis":
    """A client that decodes responses as text and retries a failed command up to
    ``retries`` times, waiting 0.1 s, 0.2 s, … up to 5 s with full jitter between tries."""
    return Redis.from_url(
        url,
        decode_responses=True,
        retry=Retry(ExponentialWithJitterBackoff(cap=5.0, base=0.1), retries),
        retry_on_error=[ConnectionError, TimeoutError],
        health_check_interval=30,
        socket_keepalive=True,
    )
