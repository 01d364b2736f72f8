"""A rating change's direction, from real items of the training part
(tests/fixtures/eval/train.jsonl, by id): the annotators gave each the direction below."""

import pytest
from corpus_texts import training_item

from radar_schemas import Polarity, Theme
from radar_tagger.domain.ratings import rating_direction
from radar_tagger.domain.tagger import Tagger
from radar_tagger.loading import build_tagger

DOWN, UP = Polarity.NEGATIVE, Polarity.POSITIVE


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return build_tagger()  # the shipped rules and model, as the service tags


@pytest.mark.parametrize(
    ("item_id", "direction"),
    [
        ("mo-0024", DOWN),  # "downgraded Roblox shares to Outperform from Strong Buy"
        ("mo-0017", DOWN),  # "Nvidia Cut to Neutral as Stock Price Jumps 50% Since August"
        ("mo-0019", DOWN),  # "downgraded by Nomura from a “neutral” rating to a “reduce” rating"
        ("mo-0035", DOWN),  # "to Equal Weight from Overweight"
        ("en-0003", UP),  # "upgraded C3.ai stock to "outperform" from "perform""
        ("en-0348", UP),  # "upgraded the networking equipment stock to buy from neutral"
        ("x6-0094", DOWN),  # "将韩国股市评级下调至中性"
    ],
)
def test_a_rating_change_goes_the_way_the_ladder_does(item_id: str, direction: Polarity) -> None:
    title, text = training_item(item_id)
    assert (rating_direction(title) or rating_direction(text)) is direction


def test_no_rating_change_no_direction() -> None:
    assert rating_direction("Citi raised his price target to $50") is None  # not a rating
    assert rating_direction("Analysts rate it Buy") is None  # no change stated


def test_the_tagger_gives_a_rating_the_direction_of_its_change(tagger: Tagger) -> None:
    # The words of praise ("Outperform", "Strong Buy", "merit in bull case") made it positive.
    title, text = training_item("mo-0024")
    ratings = [t for t in tagger.tag(title, text).themes if t.theme is Theme.ANALYST_RATING]
    assert [t.polarity for t in ratings] == [DOWN]


@pytest.mark.parametrize(
    "item_id",
    [
        "mo-0017",  # "Nvidia Cut to Neutral as Stock Price Jumps 50% Since August"
        "04c28ff162",  # "Baird on Friday lifted its rating on Tesla … to Outperform"
    ],
)
def test_a_rating_cut_or_raised_to_a_rating_word_is_a_rating_by_the_rules_alone(
    item_id: str,
) -> None:
    rules = build_tagger(rules_only=True)
    title, text = training_item(item_id)
    sentence = title or text.split(" saying")[0]  # the headline, or the rating's sentence
    assert Theme.ANALYST_RATING in rules.read(sentence, "").votes, sentence


def test_a_cut_or_raise_beside_to_buy_or_to_sell_is_no_rating() -> None:
    rules = build_tagger(rules_only=True)  # "to sell" follows cuts and raises of other things
    for text in ("Take-Two raises prices to sell more copies", "Meta cut costs to buy back stock"):
        assert Theme.ANALYST_RATING not in rules.read(text, "").votes, text


@pytest.mark.parametrize(
    ("item_id", "stock", "broker"),
    [
        ("mo-0019", "NVDA", "8604.T"),  # "Nomura’s target price would suggest … downside of 15.84%"
        ("mo-0029", "TTWO", "PIPR"),  # "Piper Jaffray Companies’ price target would indicate …"
        ("mo-0025", "RBLX", "BARC.L"),  # "its price objective dropped … at Barclays from $32"
    ],
)
def test_a_figure_of_a_rating_is_the_rated_stock_s_not_the_broker_s(
    tagger: Tagger, item_id: str, stock: str, broker: str
) -> None:
    title, text = training_item(item_id)
    owners = {q.company for q in tagger.tag(title, text).quantities}
    assert stock in owners and broker not in owners


def test_the_rules_alone_give_a_downgrade_a_negative_document_sentiment() -> None:
    """mo-0017: "Nvidia Cut to Neutral as Stock Price Jumps 50% Since August". Without the
    model, document sentiment follows the themes' directions: the rating's as rated (a cut),
    not the words of praise around it."""
    rules = build_tagger(rules_only=True)
    tagged = rules.tag(*training_item("mo-0017"))
    assert [(t.theme, t.polarity) for t in tagged.themes] == [(Theme.ANALYST_RATING, DOWN)]
    assert tagged.sentiment is DOWN


def test_letters_a_case_blind_match_takes_for_ascii_do_not_break_a_rating() -> None:
    """ "ſ" (long s) and "İ" match "s" and "i" when case is ignored, but lower() keeps them:
    a rating written so is read (or left), never a KeyError that loses the document."""
    assert rating_direction("Downgraded to ſell from Buy") is DOWN
    same_rung = rating_direction("cut to Neutral from in-line")  # then the verb decides
    assert rating_direction("cut to Neutral from İn-line") is same_rung is DOWN
