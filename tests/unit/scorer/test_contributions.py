"""How one tagged document moves sector scores."""

from datetime import UTC, datetime

import pytest

from radar_schemas import (
    DocumentTagged,
    EarningsReported,
    EntityTag,
    Evidence,
    Polarity,
    Sector,
    SectorTag,
    Theme,
    ThemeTag,
)
from radar_schemas.earnings import Metric, MetricName
from radar_scorer.domain.contributions import (
    document_contributions,
    earnings_contributions,
    sector_deltas,
)
from tests.support.earnings import make_report

AT = datetime(2026, 11, 20, tzinfo=UTC)


def doc(**changes: object) -> DocumentTagged:
    values: dict[str, object] = {
        "document_id": "d",
        "source": "s",
        "title": "t",
        "published_at": AT,
        "credibility": 0.8,
        "novelty": 100,
        "relevant": True,
        "themes": (ThemeTag(theme=Theme.AI_GAMING, polarity=Polarity.POSITIVE, confidence=0.75),),
        "sectors": (SectorTag(sector=Sector.GAMING, relevance=1.0),),
        "taxonomy_version": "1",
        "tagger_version": "t",
    }
    values.update(changes)
    return DocumentTagged(**values)  # type: ignore[arg-type]


def test_delta_is_polarity_confidence_credibility_novelty_relevance() -> None:
    assert sector_deltas(doc(), {}) == {Sector.GAMING: 0.75 * 0.8}
    halved = sector_deltas(doc(novelty=50), {Theme.AI_GAMING: 2.0})
    assert halved == {Sector.GAMING: pytest.approx(0.75 * 2.0 * 0.8 * 0.5)}


def test_negative_and_neutral_themes() -> None:
    negative = ThemeTag(theme=Theme.AI_GAMING, polarity=Polarity.NEGATIVE, confidence=0.5)
    neutral = ThemeTag(theme=Theme.AI_GAMING, polarity=Polarity.NEUTRAL, confidence=0.9)
    assert sector_deltas(doc(themes=(negative,)), {})[Sector.GAMING] < 0
    assert sector_deltas(doc(themes=(neutral,)), {}) == {}


def test_sectorless_theme_reaches_the_named_companies_sectors() -> None:
    rating = ThemeTag(theme=Theme.ANALYST_RATING, polarity=Polarity.POSITIVE, confidence=0.5)
    entity = EntityTag(
        entity_id="EA", name="Electronic Arts", relevance=1.0, sectors=(Sector.GAMING,)
    )
    assert sector_deltas(doc(themes=(rating,), entities=(entity,)), {}) == {Sector.GAMING: 0.4}


def test_irrelevant_documents_move_nothing() -> None:
    assert sector_deltas(doc(relevant=False), {}) == {}


def report(**changes: float | None) -> EarningsReported:
    values: dict[str, float | None] = {"eps_surprise_pct": 20.0}
    values.update(changes)
    return make_report(**values)


def shares(rep: EarningsReported, factor: float = 0.5) -> dict[Sector, float]:
    found = earnings_contributions(
        rep, (Sector.GAMING,), weight=0.5, pct_per_unit=10.0, cap=3.0, unstandardized_factor=factor
    )
    return {sector: c.delta for sector, c in found.items()}


def test_a_sue_weighs_more_than_a_bare_beat_of_the_same_units() -> None:
    # SUE 2 (its 20 % is not used): 2 units × weight 0.5 = 1.0.
    assert shares(report(sue=2.0)) == {Sector.GAMING: pytest.approx(1.0)}
    # A bare 20 % beat: 20 / 10 = 2 units, × 0.5 unstandardized, × weight 0.5 = 0.5.
    assert shares(report()) == {Sector.GAMING: pytest.approx(0.5)}
    assert shares(report(sue=-2.5)) == {Sector.GAMING: pytest.approx(-1.25)}
    assert shares(report(sue=5.0)) == {Sector.GAMING: pytest.approx(1.5)}  # capped at 3


def test_unstandardized_surprise_is_capped_then_discounted() -> None:
    # 400 % = 40 units, capped at 3, × 0.5 = 1.5 units, × weight 0.5 = 0.75: half a SUE of 3.
    assert shares(report(eps_surprise_pct=400.0)) == {Sector.GAMING: pytest.approx(0.75)}
    # No EPS surprise: revenue −10 % = −1 unit × 0.5 × 0.5 = −0.25.
    assert shares(report(eps_surprise_pct=None, revenue_surprise_pct=-10.0)) == {
        Sector.GAMING: pytest.approx(-0.25)
    }
    assert shares(report(eps_surprise_pct=None)) == {}
    assert shares(report(), factor=1.0) == {Sector.GAMING: pytest.approx(1.0)}
    assert shares(report(), factor=0.0) == {}  # bare beats ignored altogether


def test_a_sue_not_marked_standardized_is_not_used() -> None:
    metric = Metric(surprise_pct=20.0, sue=2.0, standardized=False)
    rep = make_report().model_copy(update={"metrics": {MetricName.EPS: metric}})
    assert shares(rep) == {Sector.GAMING: pytest.approx(0.5)}


def test_the_title_says_which_surprise_was_used() -> None:
    def title(rep: EarningsReported) -> str:
        (share,) = earnings_contributions(
            rep, (Sector.GAMING,), weight=0.5, pct_per_unit=10.0, cap=3.0
        ).values()
        return share.title

    assert title(report(sue=2.0)) == "EA earnings surprise +2.00 (SUE)"
    assert title(report()) == "EA earnings surprise +1.00 (unstandardized EPS surprise +20.0%)"
    assert title(report(eps_surprise_pct=None, revenue_surprise_pct=-10.0)) == (
        "EA earnings surprise -0.50 (unstandardized revenue surprise -10.0%)"
    )


def test_earnings_event_time_is_the_release_else_the_report_date() -> None:
    (share,) = earnings_contributions(
        report(), (Sector.GAMING,), weight=1, pct_per_unit=10, cap=3
    ).values()
    assert share.at == datetime(2026, 11, 18, tzinfo=UTC)
    assert share.document_id == "r-1" and share.theme is Theme.EARNINGS_RESULT
    assert share.delta == pytest.approx(1.0)  # 2 units × the default factor 0.5 × weight 1
    released = datetime(2026, 11, 18, 21, 5, tzinfo=UTC)  # a dateline after the close
    timed = report().model_copy(update={"reported_at": released})
    (late,) = earnings_contributions(
        timed, (Sector.GAMING,), weight=1, pct_per_unit=10, cap=3
    ).values()
    assert late.at == released


def test_document_contribution_carries_the_evidence_sentence() -> None:
    tag = ThemeTag(
        theme=Theme.AI_GAMING,
        polarity=Polarity.POSITIVE,
        confidence=0.75,
        evidence=(Evidence(sentence="AI cut asset costs.", start=0, end=19),),
    )
    (share,) = document_contributions(doc(themes=(tag,)), {}).values()
    assert share.quote == "AI cut asset costs." and share.theme is Theme.AI_GAMING
