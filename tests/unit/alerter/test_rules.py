"""The threshold rule with hysteresis."""

from datetime import UTC, datetime

from radar_alerter.domain.rules import RULE, Thresholds, evaluate, fingerprint
from radar_schemas import AlertStatus, Contribution, Sector, SectorScored

LIMITS = Thresholds(fire_above=1.0, resolve_below=0.5)
AT = datetime(2026, 11, 20, tzinfo=UTC)


def scored(score: float) -> SectorScored:
    return SectorScored(
        sector=Sector.GAMING,
        as_of=AT,
        score=score,
        attention=1.0,
        signals=1,
        top_contributors=(Contribution(document_id="n-1", title="t", delta=score, at=AT),),
    )


def test_fires_at_threshold_and_only_once() -> None:
    alert = evaluate(scored(1.0), firing=False, limits=LIMITS)
    assert alert is not None and alert.status is AlertStatus.FIRING
    assert alert.correlation_ids == ("n-1",)
    assert evaluate(scored(1.4), firing=True, limits=LIMITS) is None


def test_hysteresis_band_neither_fires_nor_resolves() -> None:
    assert evaluate(scored(0.7), firing=False, limits=LIMITS) is None
    assert evaluate(scored(0.7), firing=True, limits=LIMITS) is None
    resolved = evaluate(scored(0.4), firing=True, limits=LIMITS)
    assert resolved is not None and resolved.status is AlertStatus.RESOLVED
    assert resolved.ends_at == AT


def test_fingerprint_ignores_label_order_and_depends_on_values() -> None:
    assert fingerprint(RULE, {"a": "1", "b": "2"}) == fingerprint(RULE, {"b": "2", "a": "1"})
    assert fingerprint(RULE, {"sector": "gaming"}) != fingerprint(RULE, {"sector": "film_tv"})
