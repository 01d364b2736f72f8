"""The first keyword pass of the tagger, on sample and real documents."""

from pathlib import Path

import pytest

from radar_reference import load_companies
from radar_schemas import Polarity, Sector, Theme
from radar_tagger.domain.tagger import Tagger, segments
from radar_tagger.domain.taxonomy import TaxonomyError, load_taxonomy
from radar_tagger.evaluate import background_fp_rate, evaluate, read_jsonl


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(), load_companies())


def test_theme_polarity_sector_and_evidence_offsets(tagger: Tagger) -> None:
    text = "Profit was flat. The studio said AI NPCs lifted engagement and revenue rose 20%."
    result = tagger.tag("Game studio adds AI NPCs", text)
    themes = {t.theme: t for t in result.themes}
    assert themes[Theme.AI_GAMING].polarity is Polarity.POSITIVE
    evidence = next(e for e in themes[Theme.AI_GAMING].evidence if not e.in_title)
    assert text[evidence.start : evidence.end] == evidence.sentence
    assert evidence.sentence.startswith("The studio said AI NPCs")
    assert Sector.GAMING in {s.sector for s in result.sectors}
    assert result.relevant


def test_no_ai_context_tags_nothing(tagger: Tagger) -> None:
    result = tagger.tag("Video game sales rose", "Retailers sold more consoles this quarter.")
    assert result.themes == [] and not result.relevant


def test_negation_removes_positive_polarity(tagger: Tagger) -> None:
    result = tagger.tag("", "The AI chip maker did not raise guidance for data center sales.")
    for tag in result.themes:
        assert tag.polarity is not Polarity.POSITIVE


def test_ambiguous_company_names_need_company_context(tagger: Tagger) -> None:
    plain = tagger.tag("", "Unity among AI teams matters, the coach said.")
    company = tagger.tag("", "Unity Software shares rose after its AI tools launch.")
    assert "U" not in {e.entity_id for e in plain.entities}
    assert "U" in {e.entity_id for e in company.entities}


def test_segments_cover_title_and_sentences() -> None:
    parts = segments("Head", "One. Two! Three?")
    assert [p.text for p in parts] == ["Head", "One.", "Two!", "Three?"]
    assert parts[0].in_title and parts[1].first and not parts[2].first


def test_invalid_taxonomy_is_refused_with_the_field(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(
        "version: '1'\nthemes:\n  not_a_theme: {cues: [x]}\npolarity: "
        "{positive: [], negative: []}\nai_context: [ai]\n"
    )
    with pytest.raises(TaxonomyError, match=r"themes\.not_a_theme"):
        load_taxonomy(path)


def test_first_pass_is_precise_on_real_labelled_news_and_quiet_on_background(
    tagger: Tagger, fixtures: Path
) -> None:
    """The keyword pass favours precision: what it tags is mostly right, and it rarely fires
    on general finance news. (Recall is the full tagger's job.)"""
    labelled = read_jsonl(fixtures / "eval/dev.jsonl")
    report = evaluate(tagger, labelled)
    precision, recall, _ = report["themes"]
    assert precision >= 0.8 and recall > 0.1
    assert background_fp_rate(tagger, read_jsonl(fixtures / "news/background.jsonl")) <= 0.05
