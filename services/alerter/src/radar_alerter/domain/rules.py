"""Alert rules as configured in YAML, the fingerprint of an alert and its group key. Pure."""

import hashlib
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from radar_schemas import Polarity, Sector, Severity, Theme


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
    """A sector figure crossing a bound, upward or downward, with hysteresis.

    Upward (``fire_above``/``resolve_below``): fires when the figure reaches ``fire_above``
    and resolves below ``resolve_below``. Downward (``fire_below``/``resolve_above``): fires
    when it falls to ``fire_below`` (a sector falling: cuts, bans, misses) and resolves above
    ``resolve_above``. ``attention_ratio`` is attention over its baseline (an attention
    spike). ``critical_above``/``critical_below``: the size of move that makes it critical,
    provided at least ``critical_sources`` independent documents drive it."""

    kind: Literal["threshold"] = "threshold"
    metric: Literal["score", "z", "momentum", "attention_ratio"] = "score"
    fire_above: float | None = None
    resolve_below: float | None = None
    fire_below: float | None = None
    resolve_above: float | None = None
    critical_above: float | None = None
    critical_below: float | None = None
    critical_sources: int = Field(
        default=2, ge=1, description="Independent documents a critical alert needs"
    )
    min_sources: int = Field(
        default=1,
        ge=1,
        description="Independent documents that must drive the move before it fires (one"
        " document is its own event card, not a sector's move)",
    )
    min_attention: float = Field(default=0.0, ge=0, description="Quieter sectors never fire")

    @model_validator(mode="after")
    def _hysteresis(self) -> "ThresholdRule":
        up = self.fire_above is not None or self.resolve_below is not None
        down = self.fire_below is not None or self.resolve_above is not None
        if up == down:
            raise ValueError(
                f"rule {self.name}: give either fire_above and resolve_below (upward)"
                " or fire_below and resolve_above (downward)"
            )
        if up and (self.fire_above is None or self.resolve_below is None):
            raise ValueError(f"rule {self.name}: fire_above needs resolve_below")
        if down and (self.fire_below is None or self.resolve_above is None):
            raise ValueError(f"rule {self.name}: fire_below needs resolve_above")
        if up and self.resolve_below > self.fire_above:  # type: ignore[operator]
            raise ValueError(f"rule {self.name}: resolve_below must not exceed fire_above")
        if down and self.resolve_above < self.fire_below:  # type: ignore[operator]
            raise ValueError(f"rule {self.name}: resolve_above must not be below fire_below")
        return self

    @property
    def upward(self) -> bool:
        """True for a rule on a rising figure, False for one on a falling figure."""
        return self.fire_above is not None


class DocumentRule(_Rule):
    """An event card: documents with a watched theme above a confidence in a watched sector,
    one alert per real-world event. Documents of one story (the news service's story chain),
    or about the same subject company, theme and direction within ``ttl_s``, update one
    card (same fingerprint) instead of raising alerts of their own.

    ``require_subject``: only documents that name a company or state a figure make a card.
    Severity follows confirmation: ``severity`` for a single source, warning from
    ``warning_sources`` independent sources (or one source stating a figure of a company on
    the card), critical from ``critical_sources``: never critical on one document."""

    kind: Literal["document"] = "document"
    themes: tuple[Theme, ...] = Field(min_length=1)
    polarities: tuple[Polarity, ...] = Field(
        default=(Polarity.POSITIVE, Polarity.NEGATIVE), min_length=1
    )
    min_confidence: float = Field(default=0.6, ge=0, le=1)
    ttl_s: float = Field(
        default=86_400,
        gt=0,
        description="How long a card stays open after its newest source: the window within"
        " which a story's or a subject's news is one event",
    )
    require_subject: bool = True
    min_company_relevance: float = Field(default=0.3, ge=0, le=1)
    severity: Severity = Severity.INFO
    warning_sources: int = Field(default=2, ge=1)
    critical_sources: int = Field(default=3, ge=2)


class EarningsRule(_Rule):
    """An earnings surprise, beat or miss: |SUE| or |surprise %| above a bound for a watched
    company; one alert per report. Critical only from ``critical_abs_sue`` (a standardized
    surprise that large)."""

    kind: Literal["earnings"] = "earnings"
    tickers: tuple[str, ...] = Field(default=(), description="Watched tickers; empty: all")
    min_abs_sue: float = Field(default=2.0, gt=0)
    min_abs_surprise_pct: float = Field(default=15.0, gt=0)
    critical_abs_sue: float | None = Field(default=None, gt=0)
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
    stale_after_s: float | None = Field(
        default=3 * 86_400,
        gt=0,
        description="A sector alert with no update for this much event time has ended: it"
        " resolves, and a later update starts a new alert (no 'still firing' months later)",
    )

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

    def inhibition_source(self, rule: str) -> bool:
        """Whether a firing ``rule`` alert mutes others (it is decided first)."""
        return any(i.source_rule == rule for i in self.inhibit)

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
