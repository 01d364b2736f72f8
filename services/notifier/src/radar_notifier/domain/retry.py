"""What to do after a delivery attempt: success, retry (when), disable, or give up."""

import random
from dataclasses import dataclass
from enum import StrEnum

# At once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 28 h.
DEFAULT_SCHEDULE_S = (0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)
JITTER = 0.1  # ±10 %, so that endpoints recovering together are not hit in step
GONE = 410


class Verdict(StrEnum):
    """How an attempt ended, from the delivery's point of view."""

    DELIVERED = "delivered"
    RETRY = "retry"
    DISABLE = "disable"
    REJECTED = "rejected"


def judge(status: int | None) -> Verdict:
    """2xx delivered; 410 disables the endpoint; 429, 5xx and no answer (timeout, connection
    error: ``None``) are retried; 3xx (redirects are never followed) and other 4xx are
    rejected: sending the same request again would not change the answer."""
    if status is None or status == 429 or status >= 500:
        return Verdict.RETRY
    if 200 <= status < 300:
        return Verdict.DELIVERED
    if status == GONE:
        return Verdict.DISABLE
    return Verdict.REJECTED


@dataclass(frozen=True)
class RetrySchedule:
    """Delays before each attempt; the first applies to the first attempt (0: at once)."""

    delays_s: tuple[float, ...] = DEFAULT_SCHEDULE_S

    @property
    def max_attempts(self) -> int:
        return len(self.delays_s)

    def next_delay_s(
        self,
        attempts_made: int,
        retry_after_s: float | None = None,
        rng: random.Random | None = None,
    ) -> float | None:
        """Seconds until the next attempt after ``attempts_made`` attempts, jittered and at
        least Retry-After (capped at the schedule's longest delay); None once exhausted."""
        if attempts_made >= self.max_attempts:
            return None
        base = self.delays_s[attempts_made]
        jittered = base * (1 + (rng or random).uniform(-JITTER, JITTER))
        if retry_after_s is not None:
            jittered = max(jittered, min(retry_after_s, max(self.delays_s)))
        return jittered
