"""A circuit breaker per endpoint: after repeated failures, stop sending for a while."""

from dataclasses import dataclass


@dataclass
class CircuitBreaker:
    """Closed until ``threshold`` consecutive failures; then open for ``cooldown_s``, after
    which one attempt is let through (half-open): success closes it, failure reopens it."""

    threshold: int = 5
    cooldown_s: float = 30.0
    failures: int = 0
    open_until: float = 0.0
    probing: bool = False

    def allows(self, now: float) -> bool:
        """Whether an attempt may start now (the first one after the cooldown probes)."""
        if self.failures < self.threshold:
            return True
        if now < self.open_until or self.probing:
            return False
        self.probing = True
        return True

    def room(self, now: float) -> int | None:
        """How many attempts may start now as far as the circuit goes: None (no limit) while
        closed, 0 while open or probing, 1 once the cooldown is over. Unlike ``allows`` this
        changes nothing."""
        if self.failures < self.threshold:
            return None
        return 0 if now < self.open_until or self.probing else 1

    def retry_at(self, now: float) -> float:
        """When a refused attempt should be tried again."""
        return max(self.open_until, now + 1.0)

    def record(self, success: bool, now: float) -> None:
        """Fold in an attempt's result."""
        self.probing = False
        if success:
            self.failures = 0
            return
        self.failures += 1
        if self.failures >= self.threshold:
            self.open_until = now + self.cooldown_s
