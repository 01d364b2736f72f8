"""Rules: the YAML file, conditions seen in scores, documents and earnings, fingerprints."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar_alerter.domain import conditions
from radar_alerter.domain.load import RulesError, load_rules, with_score_thresholds
from radar_alerter.domain.rules import DocumentRule, EarningsRule, ThresholdRule, fingerprint
from radar_alerter.settings import DEFAULT_RULES_FILE
from radar_schemas import (
    THEME_SECTORS,
    Company,
    Contribution,
    DocumentTagged,
    EntityTag,
    Polarity,
    ReportTime,
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
    # Inside the band the alert still fires: its reason must not claim the firing bound.
    assert high.card and "score +1.00, at or above 1;" in high.card.why_now
    assert band.card and "score +0.70, back below 1 but not yet below 0.5" in band.card.why_now
    assert high.correlation_ids == ("n-1",) and high.evidence[0].quote == "q"
    # Critical needs the size of the move and its confirmation: never from one document.
    alone = conditions.threshold(SCORE, scored(2.5))
    assert alone and alone.fires and alone.severity is Severity.WARNING
    two = (
        Contribution(document_id="n-1", title="t", delta=1.5, at=AT, url="https://a.example/1"),
        Contribution(document_id="n-2", title="u", delta=1.0, at=AT, url="https://b.example/2"),
    )
    critical = conditions.threshold(SCORE, scored(2.5, top_contributors=two))
    assert critical and critical.severity is Severity.CRITICAL
    assert critical.card and critical.card.confirmations == 2


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


def tagged(theme: Theme, confidence: float, **changes: object) -> DocumentTagged:
    values: dict[str, object] = {
        "document_id": "d-1",
        "source": "s",
        "title": "Broker upgrades EA",
        "url": "https://news.example/ea-upgrade",
        "published_at": AT,
        "relevant": True,
        "themes": (ThemeTag(theme=theme, polarity=Polarity.POSITIVE, confidence=confidence),),
        "entities": (EntityTag(entity_id="EA", name="Electronic Arts", relevance=1.0),),
        "sectors": (SectorTag(sector=Sector.GAMING, relevance=1.0),),
        "taxonomy_version": "1",
        "tagger_version": "t",
    }
    values.update(changes)
    return DocumentTagged(**values)  # type: ignore[arg-type]


def test_single_high_impact_document_in_a_watched_sector() -> None:
    rule = DocumentRule(name="doc", themes=(Theme.ANALYST_RATING,), sectors=(Sector.GAMING,))
    (obs,) = conditions.document(rule, tagged(Theme.ANALYST_RATING, 0.8))
    assert obs.labels == {
        "sector": "gaming",
        "theme": "analyst_rating",
        "polarity": "positive",
        "company": "EA",
    }
    assert obs.correlation_ids == ("d-1",) and obs.ends_at is not None
    assert obs.aliases == ("doc|subject:EA|analyst_rating|positive",)
    assert obs.card and obs.card.sources[0].url == "https://news.example/ea-upgrade"
    assert conditions.document(rule, tagged(Theme.ANALYST_RATING, 0.3)) == []
    assert conditions.document(rule, tagged(Theme.AI_GAMING, 0.9)) == []
    # Neither a company nor a figure: nothing an analyst can act on.
    assert conditions.document(rule, tagged(Theme.ANALYST_RATING, 0.8, entities=())) == []
    loose = rule.model_copy(update={"require_subject": False})
    (anonymous,) = conditions.document(loose, tagged(Theme.ANALYST_RATING, 0.8, entities=()))
    assert anonymous.aliases == ("doc|document:d-1",) and "company" not in anonymous.labels
    story = tagged(Theme.ANALYST_RATING, 0.8, story_id="s-9")
    (chained,) = conditions.document(rule, story)
    assert chained.aliases[0] == "doc|story:s-9" and chained.card
    assert chained.card.key == "story:s-9"


def test_earnings_surprise_for_watched_companies() -> None:
    rule = EarningsRule(name="e", tickers=("EA",), min_abs_sue=2, min_abs_surprise_pct=15)
    report = make_report("EA", eps_surprise_pct=-22.0)
    (obs,) = conditions.earnings(rule, report, (Sector.GAMING,))
    assert obs.labels == {"sector": "gaming", "ticker": "EA"} and "-22.0%" in obs.summary
    small = make_report("EA", eps_surprise_pct=5.0)
    assert conditions.earnings(rule, small, (Sector.GAMING,)) == []
    other = report.model_copy(update={"company": Company(ticker="TTWO")})
    assert conditions.earnings(rule, other, (Sector.GAMING,)) == []


def test_an_earnings_alert_is_dated_when_the_results_were_made_public() -> None:
    """A release's dateline, when the source gives it, not the report date's midnight: an
    after-the-close release must not seem to precede the day's trading; a calendar row with
    a date only keeps 00:00 UTC."""
    rule = EarningsRule(name="e", min_abs_sue=2, min_abs_surprise_pct=15)
    dated = make_report("EA", eps_surprise_pct=-22.0)
    released = datetime(2026, 11, 18, 21, 5, tzinfo=UTC)
    timed = dated.model_copy(update={"reported_at": released})
    (late,) = conditions.earnings(rule, timed, (Sector.GAMING,))
    (day,) = conditions.earnings(rule, dated, (Sector.GAMING,))
    assert late.at == released and late.card and late.card.first_seen == released
    assert late.ends_at is not None and late.ends_at > released
    assert day.at == datetime(2026, 11, 18, tzinfo=UTC)
    # The card says which of the two it is, so that no one reads 00:00Z as a release time;
    # a calendar's "before the open" or "after the close" goes into the summary.
    assert day.card and day.card.day_only and not late.card.day_only
    assert day.summary.endswith("(Gaming)")  # the calendar did not say when in the day
    amc = dated.model_copy(update={"report_time": ReportTime.AFTER_CLOSE})
    (after,) = conditions.earnings(rule, amc, (Sector.GAMING,))
    assert after.summary.endswith("(Gaming), after the close")
    timed_amc = timed.model_copy(update={"report_time": ReportTime.AFTER_CLOSE})
    (exact,) = conditions.earnings(rule, timed_amc, (Sector.GAMING,))
    assert exact.summary.endswith("(Gaming)")  # its time says more than the session


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


def test_downward_rules_fire_on_a_falling_sector_and_say_so() -> None:
    low = ThresholdRule(name="low", fire_below=-1.0, resolve_above=-0.5, critical_below=-2.0)
    assert not low.upward
    falling, band, recovered = (conditions.threshold(low, scored(v)) for v in (-1.2, -0.7, -0.3))
    assert falling and falling.fires and not falling.clears
    assert band and not band.fires and not band.clears
    assert recovered and recovered.clears and not recovered.fires
    assert falling.summary.startswith("▼ Gaming down: score -1.20")
    assert falling.card and falling.card.polarity is Polarity.NEGATIVE
    assert "at or below -1" in falling.card.why_now
    assert band.card and "back above -1 but not yet above -0.5" in band.card.why_now
    up = conditions.threshold(SCORE, scored(1.2))
    assert up and up.summary.startswith("▲ Gaming up: score 1.20")
    with pytest.raises(ValueError, match="either fire_above"):
        ThresholdRule(name="x", fire_above=1, resolve_below=0.5, fire_below=-1, resolve_above=0)
    with pytest.raises(ValueError, match="resolve_above must not be below"):
        ThresholdRule(name="x", fire_below=-1, resolve_above=-2)


def test_a_sector_move_needs_its_minimum_of_independent_documents() -> None:
    rule = SCORE.model_copy(update={"min_sources": 2})
    one = conditions.threshold(rule, scored(1.5))
    assert one and not one.fires  # one document is its own event card, not a sector's move
    two = (
        Contribution(document_id="n-1", title="t", delta=1.0, at=AT, url="https://a.example/1"),
        Contribution(document_id="n-2", title="u", delta=0.5, at=AT, url="https://b.example/2"),
    )
    both = conditions.threshold(rule, scored(1.5, top_contributors=two))
    assert both and both.fires and both.card and both.card.confirmations == 2


def test_an_earnings_miss_is_one_negative_alert_with_its_figures() -> None:
    rule = EarningsRule(name="e", min_abs_sue=2, min_abs_surprise_pct=15)
    report = make_report("EA", eps_surprise_pct=-22.0)
    (obs,) = conditions.earnings(rule, report, (Sector.GAMING, Sector.IP_MEDIA))
    assert obs.labels == {"sector": "gaming", "ticker": "EA"}
    assert obs.summary.startswith("▼ EA earnings miss: surprise -22.0%")
    assert obs.card and obs.card.polarity is Polarity.NEGATIVE
    assert obs.card.sectors == (Sector.GAMING, Sector.IP_MEDIA)
    assert any(f.kind == "eps_surprise" and f.value == -22.0 for f in obs.card.figures)
    assert obs.severity is Severity.WARNING
    # why it counts, in words a reader knows: with no history, a raw surprise counts less
    assert "too few past reports to say whether that is large" in obs.card.why_now
    standardized = make_report("EA", eps_surprise_pct=-22.0, sue=-3.0)
    (sue,) = conditions.earnings(rule, standardized, (Sector.GAMING,))
    assert sue.card and "large against this company's past surprises (SUE)" in sue.card.why_now


def test_bundled_rules_give_every_sector_a_fair_chance_in_both_directions() -> None:
    rules = load_rules(DEFAULT_RULES_FILE)
    thresholds = [r for r in rules.rules if isinstance(r, ThresholdRule)]
    (cards_rule,) = [r for r in rules.rules if isinstance(r, DocumentRule)]
    # Every theme but enterprise adoption opens cards (its cards were mostly wrong out of
    # fold); every sector is watched by the event cards, through a theme that reaches it
    # directly or, for enterprise software, through a company's results, ratings and AI
    # revenue.
    assert not cards_rule.sectors
    assert set(cards_rule.themes) == set(Theme) - {Theme.ENTERPRISE_ADOPTION}
    direct = {s for theme in cards_rule.themes for s in THEME_SECTORS.get(theme, ())}
    assert direct == set(Sector) - {Sector.ENTERPRISE_SOFTWARE}
    software = (SectorTag(sector=Sector.ENTERPRISE_SOFTWARE, relevance=1.0),)
    crm = (EntityTag(entity_id="CRM", name="Salesforce", relevance=1.0),)
    for theme in (Theme.AI_REVENUE, Theme.EARNINGS_RESULT, Theme.ANALYST_RATING):
        document = tagged(theme, 0.9, sectors=software, entities=crm)
        (obs,) = conditions.document(cards_rule, document)
        assert obs.labels["sector"] == Sector.ENTERPRISE_SOFTWARE.value
    assert set(cards_rule.polarities) == {Polarity.POSITIVE, Polarity.NEGATIVE}
    # The same bounds for all six sectors, and each upward rule on score and momentum has
    # its mirror image downward.
    assert all(not r.sectors for r in thresholds)
    bounds = {(r.metric, r.fire_above, r.resolve_below) for r in thresholds if r.upward}
    mirrored = {(r.metric, -r.fire_below, -r.resolve_above) for r in thresholds if not r.upward}  # type: ignore[operator]
    assert {b for b in bounds if b[0] != "attention_ratio"} == mirrored
    # A document of each sector, one of its own themes, opens a card.
    for theme in cards_rule.themes:
        for sector in THEME_SECTORS.get(theme, ()):
            document = tagged(theme, 0.9, sectors=(SectorTag(sector=sector, relevance=1.0),))
            (obs,) = conditions.document(cards_rule, document)
            assert obs.labels["sector"] == sector.value
