"""The sector-score threshold rule with hysteresis. Pure."""

import hashlib
from dataclasses import dataclass

from radar_schemas import AlertEvidence, AlertRaised, AlertStatus, SectorScored, Severity

RULE = "sector_score_high"


def fingerprint(rule: str, labels: dict[str, str]) -> str:
    """Stable id of an alert: the rule and its sorted labels, hashed (as Alertmanager does)."""
    key = rule + "\0" + "\0".join(f"{k}={v}" for k, v in sorted(labels.items()))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Thresholds:
    fire_above: float
    resolve_below: float


def evaluate(scored: SectorScored, firing: bool, limits: Thresholds) -> AlertRaised | None:
    """The alert a new score raises or resolves, or None when the state does not change."""
    labels = {"sector": scored.sector.value}
    if not firing and scored.score >= limits.fire_above:
        status = AlertStatus.FIRING
    elif firing and scored.score < limits.resolve_below:
        status = AlertStatus.RESOLVED
    else:
        return None
    severity = Severity.CRITICAL if scored.score >= 2 * limits.fire_above else Severity.WARNING
    verb = "above" if status is AlertStatus.FIRING else "back below"
    bound = limits.fire_above if status is AlertStatus.FIRING else limits.resolve_below
    return AlertRaised(
        fingerprint=fingerprint(RULE, labels),
        rule=RULE,
        status=status,
        severity=severity,
        labels=labels,
        summary=f"{scored.sector.value} score {scored.score:.2f} {verb} {bound:g}",
        evidence=tuple(
            AlertEvidence(document_id=c.document_id, title=c.title, url=c.url)
            for c in scored.top_contributors
        ),
        score=scored.score,
        z=scored.z,
        starts_at=scored.as_of,
        ends_at=scored.as_of if status is AlertStatus.RESOLVED else None,
        correlation_ids=tuple(c.document_id for c in scored.top_contributors),
    )
