"""Silences (an operator mutes alerts by label for a while) and inhibitions. Pure."""

import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .rules import Inhibition


class Silence(BaseModel):
    """Mutes every alert whose labels (plus ``alertname``, the rule) equal all ``matchers``,
    from ``starts_at`` to ``ends_at``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    matchers: dict[str, str] = Field(min_length=1)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    comment: str = Field(default="", max_length=1000)
    created_by: str = Field(default="", max_length=128)

    def active(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at

    def matches(self, rule: str, labels: dict[str, str]) -> bool:
        every = {**labels, "alertname": rule}
        return all(every.get(k) == v for k, v in self.matchers.items())


def parse_matchers(items: list[str]) -> dict[str, str]:
    """``["sector=gaming", "alertname=x"]`` → a dict; raises ValueError on a malformed item."""
    matchers = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"matcher {item!r}: expected label=value")
        matchers[key.strip()] = value.strip()
    return matchers


def silenced(silences: list[Silence], rule: str, labels: dict[str, str], now: datetime) -> bool:
    """Whether any silence active at ``now`` matches the alert."""
    return any(s.active(now) and s.matches(rule, labels) for s in silences)


def inhibition_key(target_rule: str, equal: tuple[str, ...], labels: dict[str, str]) -> str | None:
    """Where an inhibition of ``target_rule`` for these labels is recorded (None when a label
    it must share is missing)."""
    if any(k not in labels for k in equal):
        return None
    return target_rule + "|" + ",".join(f"{k}={labels[k]}" for k in equal)


def inhibited_by(rules: tuple[Inhibition, ...], source_rule: str) -> list[Inhibition]:
    """The inhibitions a firing ``source_rule`` alert starts."""
    return [i for i in rules if i.source_rule == source_rule]


def targets(rules: tuple[Inhibition, ...], target_rule: str) -> list[Inhibition]:
    """The inhibitions that can mute a ``target_rule`` alert."""
    return [i for i in rules if target_rule in i.target_rules]
