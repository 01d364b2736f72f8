"""When to poll a feed next: its interval, or exponential backoff with jitter after errors,
never sooner than the server's Retry-After."""

MAX_BACKOFF_S = 6 * 3600.0
MAX_RETRY_AFTER_S = 24 * 3600.0


def next_delay_s(
    interval_s: float, failures: int, retry_after_s: float | None, jitter: float
) -> float:
    """Seconds until the next poll. ``failures`` counts consecutive failed polls; ``jitter``
    is uniform in [0, 1) so that feeds failing together do not retry together."""
    if failures <= 0:
        return interval_s
    backoff_s = min(MAX_BACKOFF_S, interval_s * 2.0**failures)
    # "Equal jitter": half the backoff fixed, half random, never below the interval.
    delay_s = max(interval_s, backoff_s / 2 + jitter * backoff_s / 2)
    return max(delay_s, min(retry_after_s or 0.0, MAX_RETRY_AFTER_S))
