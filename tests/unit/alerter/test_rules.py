"""Rules: the YAML file, conditions seen in scores, documents and earnings, fingerprints."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar_alerter.domain import conditions
from radar_alerter.domain.load import RulesError, load_rules, with_score_thresholds
from radar_alerter.domain.rules import DocumentRule, EarningsRule, ThresholdRule, fingerprint
from radar_alerter.settings import DEFAULT_RULES_FILE
from radar_schemas import (
    Company,
    Contribution,
    DocumentTagged,
    Polarity,
    Sector,
    SectorScored,
    SectorTag,
    Severity,
    Theme,
    ThemeTag,
)
from tests.support.earnings import make_report

AT = datetime(2026, 11, 20, tzinfo=UTC)
SCORE = ThresholdRule(name="s", fire_above=1.0, resolve_below=0.5, critical_above=2.0)


def scored(score: float, **changes: object) -> SectorScored:
    values: dict[str, object] = {
        "sector": Sector.GAMING,
        "as_of": AT,
        "score": score,
        "attention": 1.0,
        "signals": 1,
        "top_contributors": (
            Contribution(document_id="n-1", title="t", delta=score, at=AT, quote="q"),
        ),
    }
    values.update(changes)
    return SectorScored(**values)  # type: ignore[arg-type]


def test_bundled_rules_load_and_bad_files_name_the_problem(tmp_path: Path) -> None:
    rules = load_rules(DEFAULT_RULES_FILE)
    assert {r.kind for r in rules.rules} == {"threshold", "document", "earnings"}
    assert rules.inhibit and rules.inhibit[0].source_rule == "earnings_surprise"
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - {name: x, kind: threshold, fire_above: 1, resolve_below: 2}\n")
    with pytest.raises(RulesError, match="resolve_below must not exceed fire_above"):
        load_rules(bad)
    bad.write_text(
        "rules: [{name: x, kind: document, themes: [ai_gaming]}]\ninhibit:\n"
        "  - {source_rule: x, target_rules: [nope]}\n"
    )
    with pytest.raises(RulesError, match="unknown rules"):
        load_rules(bad)


def test_threshold_observation_has_hysteresis_band_and_evidence() -> None:
    high, band, low = (conditions.threshold(SCORE, scored(v)) for v in (1.0, 0.7, 0.4))
    assert high and high.fires and not high.clears
    assert band and not band.fires and not band.clears
    assert low and low.clears and not low.fires
    assert high.correlation_ids == ("n-1",) and high.evidence[0].quote == "q"
    critical = conditions.threshold(SCORE, scored(2.5))
    assert critical and critical.severity is Severity.CRITICAL


def test_threshold_on_z_waits_for_a_baseline_and_attention_spike_uses_it() -> None:
    z_rule = ThresholdRule(name="z", metric="z", fire_above=3, resolve_below=1)
    assert conditions.threshold(z_rule, scored(1.0)) is None
    spike = ThresholdRule(
        name="a", metric="attention_ratio", fire_above=3, resolve_below=1.5, min_attention=2
    )
    obs = conditions.threshold(spike, scored(1.0, attention=4.0, attention_baseline=1.0))
    assert obs and obs.fires
    quiet = conditions.threshold(spike, scored(1.0, attention=1.0, attention_baseline=0.1))
    assert quiet and not quiet.fires


def tagged(theme: Theme, confidence: float) -> DocumentTagged:
    return DocumentTagged(
        document_id="d-1",
        source="s",
        title="Broker upgrades EA",
        published_at=AT,
        relevant=True,
        themes=(ThemeTag(theme=theme, polarity=Polarity.POSITIVE, confidence=confidence),),
        sectors=(SectorTag(sector=Sector.GAMING, relevance=1.0),),
        taxonomy_version="1",
        tagger_version="t",
    )


def test_single_high_impact_document_in_a_watched_sector() -> None:
    rule = DocumentRule(name="doc", themes=(Theme.ANALYST_RATING,), sectors=(Sector.GAMING,))
    (obs,) = conditions.document(rule, tagged(Theme.ANALYST_RATING, 0.8))
    assert obs.labels == {"sector": "gaming", "theme": "analyst_rating", "document": "d-1"}
    assert obs.correlation_ids == ("d-1",) and obs.ends_at is not None
    assert conditions.document(rule, tagged(Theme.ANALYST_RATING, 0.3)) == []
    long_id = tagged(Theme.ANALYST_RATING, 0.8).model_copy(update={"document_id": "x" * 200})
    (hashed,) = conditions.document(rule, long_id)
    assert hashed.labels["document"].startswith("sha256:") and len(hashed.labels["document"]) < 64
    assert conditions.document(rule, tagged(Theme.AI_GAMING, 0.9)) == []


def test_earnings_surprise_for_watched_companies() -> None:
    rule = EarningsRule(name="e", tickers=("EA",), min_abs_sue=2, min_abs_surprise_pct=15)
    report = make_report("EA", eps_surprise_pct=-22.0)
    (obs,) = conditions.earnings(rule, report, (Sector.GAMING,))
    assert obs.labels == {"sector": "gaming", "ticker": "EA"} and "-22.0%" in obs.summary
    small = make_report("EA", eps_surprise_pct=5.0)
    assert conditions.earnings(rule, small, (Sector.GAMING,)) == []
    other = report.model_copy(update={"company": Company(ticker="TTWO")})
    assert conditions.earnings(rule, other, (Sector.GAMING,)) == []


def test_fingerprint_ignores_label_order_and_depends_on_values() -> None:
    assert fingerprint("r", {"a": "1", "b": "2"}) == fingerprint("r", {"b": "2", "a": "1"})
    assert fingerprint("r", {"sector": "gaming"}) != fingerprint("r", {"sector": "film_tv"})
    assert fingerprint("r", {"sector": "gaming"}) != fingerprint("q", {"sector": "gaming"})


def test_score_bounds_from_the_environment_override_the_rule() -> None:
    rules = with_score_thresholds(load_rules(DEFAULT_RULES_FILE), 2.5, None)
    (rule,) = [r for r in rules.rules if r.name == "sector_score_high"]
    assert isinstance(rule, ThresholdRule) and (rule.fire_above, rule.resolve_below) == (2.5, 0.5)
    with pytest.raises(ValueError, match="resolve_below must not exceed"):
        with_score_thresholds(load_rules(DEFAULT_RULES_FILE), 0.2, None)
