"""Which sectors a document reaches through its themes and the companies it names."""

import json
from pathlib import Path

import pytest

from radar_schemas import EntityTag, Polarity, Sector, Theme, ThemeTag
from radar_tagger.domain.matcher import Matcher
from radar_tagger.domain.sectors import sectors_of, segments_named
from radar_tagger.domain.taxonomy import Taxonomy, load_taxonomy
from radar_tagger.domain.themes import ThemeFinder
from radar_tagger.loading import build_tagger

TRAIN = Path(__file__).parents[3] / "tests/fixtures/eval/train.jsonl"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def _theme(theme: Theme) -> ThemeTag:
    return ThemeTag(theme=theme, polarity=Polarity.NEGATIVE, confidence=0.8, evidence=())


def _company(entity_id: str, relevance: float, *sectors: Sector) -> EntityTag:
    return EntityTag(entity_id=entity_id, name=entity_id, relevance=relevance, sectors=sectors)


MICROSOFT = (Sector.ENTERPRISE_SOFTWARE, Sector.AI_INFRA, Sector.GAMING)


def test_a_lawsuit_beside_a_direct_theme_reaches_the_company_ai_business_only(
    taxonomy: Taxonomy,
) -> None:
    themes = [_theme(Theme.AI_IP), _theme(Theme.AI_REGULATION)]
    found = sectors_of(taxonomy, themes, [_company("MSFT", 0.9, *MICROSOFT)])
    assert {s.sector for s in found} == {Sector.IP_MEDIA, Sector.AI_INFRA}


def test_a_company_whose_business_a_theme_covers_adds_nothing(taxonomy: Taxonomy) -> None:
    themes = [_theme(Theme.AI_MARKETING), _theme(Theme.EARNINGS_RESULT)]
    meta = _company("META", 1.0, Sector.MARKETING, Sector.AI_INFRA)
    assert {s.sector for s in sectors_of(taxonomy, themes, [meta])} == {Sector.MARKETING}


def test_a_company_outside_ai_adds_nothing_beside_a_direct_theme(taxonomy: Taxonomy) -> None:
    themes = [_theme(Theme.AI_IP), _theme(Theme.AI_REGULATION)]
    found = sectors_of(taxonomy, themes, [_company("NYT", 0.9, Sector.IP_MEDIA)])
    assert {s.sector for s in found} == {Sector.IP_MEDIA}


def test_a_company_only_measured_against_reaches_no_sector(taxonomy: Taxonomy) -> None:
    themes = [_theme(Theme.AI_GAMING), _theme(Theme.EARNINGS_RESULT)]
    found = sectors_of(taxonomy, themes, [_company("NVDA", 0.1, Sector.AI_INFRA)])
    assert {s.sector for s in found} == {Sector.GAMING}
    alone = sectors_of(taxonomy, [_theme(Theme.EARNINGS_RESULT)], [_company("NVDA", 0.1)])
    assert alone == []


def test_results_alone_reach_every_business_of_the_company(taxonomy: Taxonomy) -> None:
    found = sectors_of(
        taxonomy, [_theme(Theme.EARNINGS_RESULT)], [_company("MSFT", 0.9, *MICROSOFT)]
    )
    assert {s.sector for s in found} == set(MICROSOFT)


def test_a_real_copyright_suit_against_microsoft_is_not_gaming_news() -> None:
    row = next(
        json.loads(line) for line in TRAIN.read_text().splitlines() if '"id": "x2-0201"' in line
    )
    result = build_tagger().tag(row["title"], row["text"])
    assert {"NYT", "openai", "MSFT"} <= {e.entity_id for e in result.entities}
    assert {s.sector.value for s in result.sectors} == set(row["gold"]["sectors"])


def _named(taxonomy: Taxonomy, text: str) -> set[Sector]:
    """The businesses a text names, found as the tagger finds them (the matcher's pass)."""
    return segments_named(Matcher(ThemeFinder(taxonomy).phrases()).find(text))


def test_results_reach_the_businesses_the_text_names(taxonomy: Taxonomy) -> None:
    msft = _company("MSFT", 0.9, *MICROSOFT)
    results = [_theme(Theme.EARNINGS_RESULT)]

    def reached(text: str) -> set[Sector]:
        return {s.sector for s in sectors_of(taxonomy, results, [msft], _named(taxonomy, text))}

    assert reached("Microsoft beats as its cloud unit grows") == {Sector.AI_INFRA}
    assert reached("Xbox content and services revenue rose") == {Sector.GAMING}
    # whole-company results name no business: every sector, as before
    assert reached("Microsoft beats estimates") == set(MICROSOFT)
    # words inside other words name nothing ("gamesmanship", "download")
    assert reached("gamesmanship over adware downloads") == set(MICROSOFT)


def test_segments_come_from_the_taxonomy_file(taxonomy: Taxonomy) -> None:
    msft = _company("MSFT", 0.9, *MICROSOFT)
    without = taxonomy.model_copy(update={"segments": {}})
    named = _named(without, "cloud")
    found = sectors_of(without, [_theme(Theme.EARNINGS_RESULT)], [msft], named)
    assert {s.sector for s in found} == set(MICROSOFT)


def _row(item_id: str) -> dict[str, object]:
    return next(
        json.loads(line) for line in TRAIN.read_text().splitlines() if f'"id": "{item_id}"' in line
    )


@pytest.mark.parametrize(
    ("item_id", "absent", "present"),
    [
        # "Microsoft beats on earnings as cloud unit shows strong growth": not gaming news
        ("en-0126", Sector.GAMING, Sector.AI_INFRA),
        # "Starfield Sets An Impressive Game Pass Record": Microsoft's games, not its cloud
        ("en-0462", Sector.AI_INFRA, Sector.GAMING),
        # "Getty sues Stability AI ...": AI+IP covers Stability's IP business, and a suit
        # against an AI firm reaches its AI business too
        ("en-0598", None, Sector.AI_INFRA),
    ],
)
def test_real_items_reach_the_business_they_are_about(
    item_id: str, absent: Sector | None, present: Sector
) -> None:
    row = _row(item_id)
    result = build_tagger().tag(str(row["title"]), str(row["text"]))
    sectors = {s.sector for s in result.sectors}
    assert present in sectors
    assert absent not in sectors
