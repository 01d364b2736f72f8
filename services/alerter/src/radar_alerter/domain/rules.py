"""Alert rules as configured in YAML, the fingerprint of an alert and its group key. Pure."""

import hashlib
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from radar_schemas import Sector, Severity, Theme


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")
    severity: Severity = Severity.WARNING
    repeat_interval_s: float | None = Field(
        default=None, gt=0, description="Event time between two notifications of a firing alert"
    )
    group_by: tuple[str, ...] | None = None
    sectors: tuple[Sector, ...] = Field(default=(), description="Watched sectors; empty: all")


class ThresholdRule(_Rule):
    """Fires when a sector figure reaches ``fire_above`` and resolves below ``resolve_below``
    (hysteresis). ``attention_ratio`` is attention over its baseline (an attention spike)."""

    kind: Literal["threshold"] = "threshold"
    metric: Literal["score", "z", "momentum", "attention_ratio"] = "score"
    fire_above: float
    resolve_below: float
    critical_above: float | None = None
    min_attention: float = Field(default=0.0, ge=0, description="Quieter sectors never fire")

    @model_validator(mode="after")
    def _hysteresis(self) -> "ThresholdRule":
        if self.resolve_below > self.fire_above:
            raise ValueError(f"rule {self.name}: resolve_below must not exceed fire_above")
        return self


class DocumentRule(_Rule):
    """One high-impact document: a watched theme above a confidence in a watched sector."""

    kind: Literal["document"] = "document"
    themes: tuple[Theme, ...] = Field(min_length=1)
    min_confidence: float = Field(default=0.6, ge=0, le=1)
    ttl_s: float = Field(default=86_400, gt=0, description="How long the alert stays firing")


class EarningsRule(_Rule):
    """An earnings surprise: |SUE| or |surprise %| above a bound for a watched company."""

    kind: Literal["earnings"] = "earnings"
    tickers: tuple[str, ...] = Field(default=(), description="Watched tickers; empty: all")
    min_abs_sue: float = Field(default=2.0, gt=0)
    min_abs_surprise_pct: float = Field(default=15.0, gt=0)
    ttl_s: float = Field(default=86_400, gt=0)


Rule = Annotated[ThresholdRule | DocumentRule | EarningsRule, Field(discriminator="kind")]


class Inhibition(BaseModel):
    """While a ``source_rule`` alert fires, ``target_rules`` alerts with equal ``equal``
    labels are muted, from the source's event time for ``duration_s`` of event time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_rule: str
    target_rules: tuple[str, ...] = Field(min_length=1)
    equal: tuple[str, ...] = ("sector",)
    duration_s: float = Field(default=86_400, gt=0)


class RuleSet(BaseModel):
    """The whole rules file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    repeat_interval_s: float = Field(default=4 * 3600, gt=0)
    group_by: tuple[str, ...] = ("sector",)
    group_wait_s: float = Field(default=30, ge=0)
    rules: tuple[Rule, ...] = Field(min_length=1)
    inhibit: tuple[Inhibition, ...] = ()

    @model_validator(mode="after")
    def _names(self) -> "RuleSet":
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names):
            raise ValueError("rule names must be unique")
        for inhibition in self.inhibit:
            unknown = {inhibition.source_rule, *inhibition.target_rules} - set(names)
            if unknown:
                raise ValueError(f"inhibit names unknown rules: {sorted(unknown)}")
        return self

    def repeat_interval(self, rule: _Rule) -> float:
        """The rule's repeat interval, else the file's."""
        return rule.repeat_interval_s or self.repeat_interval_s

    def group_key(self, rule: _Rule, labels: dict[str, str]) -> str:
        """``sector=gaming``: the values of the group_by labels (the rule's, else the file's)."""
        keys = self.group_by if rule.group_by is None else rule.group_by
        return ",".join(f"{k}={labels[k]}" for k in keys if k in labels)


def fingerprint(rule: str, labels: dict[str, str]) -> str:
    """Stable id of an alert: the rule and its sorted labels, hashed (as Alertmanager does)."""
    key = rule + "\0" + "\0".join(f"{k}={v}" for k, v in sorted(labels.items()))
    return hashlib.sha256(key.encode()).hexdigest()[:16]
