"""Entities: prominence decides relevance; common-word names count only as companies."""

import pytest
from corpus_texts import training_item

from radar_reference import load_companies
from radar_tagger.domain.tagger import Tagger
from radar_tagger.domain.taxonomy import load_taxonomy
from radar_tagger.loading import build_tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(), load_companies())


def test_a_headline_company_outranks_one_named_once_late_in_the_body(tagger: Tagger) -> None:
    body = (
        "Data center sales rose 20% in the quarter. Customers want more GPUs. "
        "Analysts expect demand to stay strong. Rival AMD also sells accelerators."
    )
    result = tagger.tag("Nvidia says AI chip demand jumps", body)
    relevance = {e.entity_id: e.relevance for e in result.entities}
    assert set(relevance) == {"NVDA", "AMD"}
    assert relevance["NVDA"] > relevance["AMD"]


@pytest.mark.parametrize(
    "text",
    [
        "Marketers use generative AI to write the meta description of every product page.",
        "Meta description tags are now written by generative AI for most marketers.",
        "A generative AI ad campaign for an apple pie brand lifted sales.",
        "Apple pie bakers use AI ads to reach more shoppers.",
        "Advertisers made a snap decision to pull AI-generated ads after the backlash.",
        "Snap decisions by advertisers to pull AI-generated ads followed the backlash.",
    ],
)
def test_common_words_are_not_companies(tagger: Tagger, text: str) -> None:
    result = tagger.tag("", text)
    assert result.relevant  # an AI marketing story, so entities would be kept
    assert result.entities == []


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Meta Platforms shares rose after its AI ad tools lifted revenue.", "META"),
        ("Apple's iPhone sales rose as AI features drove upgrades.", "AAPL"),
        ("Snap shares jumped after its AI ad tools lifted revenue.", "SNAP"),
    ],
)
def test_common_word_names_in_a_company_context_are_companies(
    tagger: Tagger, text: str, entity: str
) -> None:
    assert {e.entity_id for e in tagger.tag("", text).entities} == {entity}


@pytest.fixture(scope="module")
def shipped() -> Tagger:
    return build_tagger()


@pytest.fixture(scope="module")
def alone() -> Tagger:
    """The shipped tagger without the listings directory: the watched companies' file alone."""
    return build_tagger(listings=False)


def test_listed_companies_outside_the_watched_file_are_named(
    shipped: Tagger, alone: Tagger
) -> None:
    # x6-0108 (36氪): a construction-robot start-up "已深度服务中国建筑、中国铁建等100余家头部
    # 建筑企业"; both clients are A-share listings the watched companies' file does not have
    title, text = training_item("x6-0108")
    found = {e.entity_id for e in shipped.tag(title, text).entities}
    assert {"601668.SS", "601186.SS"} <= found
    assert not {"601668.SS", "601186.SS"} & {e.entity_id for e in alone.tag(title, text).entities}


def test_a_listing_changes_no_theme(shipped: Tagger, alone: Tagger) -> None:
    # a listed company from the directory is never the subject that makes a story a signal
    # (a document naming one is read in full for AI context, so a confidence may move)
    for item in ("x6-0108", "x2-0477", "x3-0488"):
        title, text = training_item(item)
        found = {t.theme: t.polarity for t in shipped.tag(title, text).themes}
        assert found
        assert found == {t.theme: t.polarity for t in alone.tag(title, text).themes}


def test_a_listing_whose_short_name_is_an_ordinary_word_is_not_found_by_it(
    shipped: Tagger,
) -> None:
    # x2-0464 and x2-0477 say 机器人 ("robot"), the short name of 300024.SZ (Siasun Robot);
    # x2-0477 also names 迪尔化工 (920304.BJ), whose short name is no ordinary word
    for item in ("x2-0464", "x2-0477"):
        title, text = training_item(item)
        assert "机器人" in text
        assert "300024.SZ" not in {e.entity_id for e in shipped.tag(title, text).entities}
    title, text = training_item("x2-0477")
    assert "920304.BJ" in {e.entity_id for e in shipped.tag(title, text).entities}


def _replayed(title_start: str) -> tuple[str, str]:
    """One item of the unlabelled 2025 replay (tests/fixtures/news/replay_2025-06.jsonl)."""
    import json
    from pathlib import Path

    path = Path(__file__).parents[2] / "fixtures/news/replay_2025-06.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["title"].startswith(title_start):
            return row["title"], row["text"]
    raise LookupError(title_start)


def test_a_publication_quoted_as_the_report_is_not_a_company_of_the_story() -> None:
    # Slashdot's form: "... JAMA. The New York Times reports: Another initiative ..."
    title, text = _replayed("FDA To Use AI In Drug Approvals")
    assert "The New York Times reports:" in text
    found = {e.entity_id for e in build_tagger().tag(title, text).entities}
    assert "NYT" not in found
