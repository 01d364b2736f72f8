"""Entities: prominence decides relevance; common-word names count only as companies."""

import pytest

from radar_reference import load_companies
from radar_tagger.domain.tagger import Tagger
from radar_tagger.domain.taxonomy import load_taxonomy


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
