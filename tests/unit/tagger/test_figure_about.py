"""What a change measures ("advertising revenue +25%" on a card, not "change +25%"), read
from real items of the training part (tests/fixtures/eval/train.jsonl, by id)."""

import pytest
from corpus_texts import training_item

from radar_tagger.domain.quantities import quantities


def about_of(item_id: str, field: str, figure: str) -> str | None:
    """The `about` of the figure whose text starts with `figure` in that item's field."""
    title, text = training_item(item_id)
    source = title if field == "title" else text
    found = [q for q in quantities(source) if source[q.start :].startswith(figure)]
    assert found, f"no figure {figure!r} in {item_id}"
    return found[0].about


@pytest.mark.parametrize(
    ("item_id", "field", "figure", "expected"),
    [
        # the subject of a verb of movement, after the clause's other words
        ("en-0338", "text", "24%", "Microsoft Cloud revenue"),
        ("en-0566", "title", "95%", "Samsung's Q2 profit"),
        # the phrase a change is "in"
        ("x3-0255", "text", "96%", "quarterly operating profit"),
        # the object of a verb of change ("cut false alerts by 90%")
        ("x2-0031", "text", "90%", "false alerts"),
        # a clause that only states the change: the measure of the clause before
        ("x2-0111", "text", "56%", "Nvidia's revenue"),
        # a part of a whole: the whole
        ("x2-0032", "title", "40%", "enterprises"),
        # Chinese: the measure before the change, in its clause or the one before
        ("zh-0016", "text", "80%", "调用量"),
        ("x3-0518", "text", "103.69%", "营业收入"),
        ("x3-0518", "text", "176.53%", "净利润"),
        # a verb of money: the noun it stands for
        ("en-0554", "title", "$65 Million", "funding"),  # "Raises $65 Million"
        # the noun right after the amount
        ("x3-0050", "text", "$1 billion", "valuation"),  # "has a $1 billion valuation"
        ("bg-0045", "title", "$55bn", "deal"),
        ("en-0126", "text", "$1.2 billion", "charge"),
        # Chinese: the measure before the amount in its clause
        ("x5-0131", "text", "25亿美元", "现金消耗"),
        ("x6-0047", "text", "1.75万亿美元", "估值"),
        ("x6-0047", "text", "750亿美元", "融资"),
        # a count: what is counted
        ("en-0140", "text", "17", "authors"),
        ("x3-0268", "title", "1,200", "workers"),
        ("x3-0050", "text", "10,000", "Nvidia H100 GPUs"),
    ],
)
def test_a_figure_says_what_it_measures(
    item_id: str, field: str, figure: str, expected: str
) -> None:
    assert about_of(item_id, field, figure) == expected


def test_an_adverb_is_no_measure() -> None:
    # "Bitcoin is already up 50% this year": "already" is not what rose.
    assert about_of("x2-0424", "title", "50%") != "already"


def test_a_pronoun_leaves_the_change_unnamed() -> None:
    # What "it" is lies in another sentence; a card then says "change".
    [figure] = quantities("Shares of the company were halted. It rose 12% in late trading.")
    assert figure.kind == "growth"
    assert figure.about is None


def test_what_moved_is_not_the_verb_that_moved_it() -> None:
    [sent] = quantities("Revenue missed estimates, sending shares down 7% in late trading.")
    assert sent.about == "shares"
    [pushed] = quantities("The news sent shares up 5%.")
    assert pushed.about == "shares"
    # ... a noun that is also a verb stays: "autonomous driving revenue"
    [driving] = quantities("Autonomous driving revenue rose 30%.")
    assert driving.about == "Autonomous driving revenue"


def test_a_conjunction_after_a_count_is_no_noun_of_it() -> None:
    # the June 2025 replay (tests/fixtures/news/replay_2025-06.jsonl): RedNote's model
    # "activates 14 billion parameters out of a total of 142 billion when responding to
    # queries": a card said "142B when"
    text = (
        "The model, developed by RedNote's internal Humane Intelligence Lab, activates 14 "
        "billion parameters out of a total of 142 billion when responding to queries."
    )
    counts = [q for q in quantities(text) if q.value == 142e9]
    assert counts and counts[0].about is None


def test_a_result_keeps_its_kind_and_needs_no_about() -> None:
    # "revenue $56.5B" says what it is already
    _title, text = training_item("en-0338")
    results = [q for q in quantities(text) if q.kind in ("revenue", "eps")]
    assert len(results) >= 2
    assert all(q.about is None for q in results)


@pytest.mark.parametrize(
    ("item_id", "field", "figure"),
    [
        ("en-0535", "title", "13"),  # "13th-generation Intel chips": glued, no noun of it
        ("en-0217", "text", "$75 million"),  # "in the range of $75 million"
        ("x4-0195", "text", "$125 billion"),  # "will fuel up to $125 billion": no verb of level
    ],
)
def test_an_amount_the_text_does_not_name_stays_unnamed(
    item_id: str, field: str, figure: str
) -> None:
    assert about_of(item_id, field, figure) is None


def about_after(item_id: str, lead: str) -> str | None:
    """The `about` of the figure right after `lead` in that item's text."""
    _title, text = training_item(item_id)
    start = text.index(lead) + len(lead)
    [found] = [q for q in quantities(text) if q.start == start]
    return found.about


@pytest.mark.parametrize(
    ("item_id", "lead", "expected"),
    [
        # Chinese market news: the name opening a clause of movement
        ("zh-0138", "快手跌超", "快手"),
        ("zh-0097", "恒指涨超", "恒指"),
        ("x5-0113", "SK海力士下跌", "SK海力士"),
        ("x5-0077", "台积电周五下跌超过", "台积电"),  # a weekday is no part of the name
    ],
)
def test_a_chinese_move_says_what_moved(item_id: str, lead: str, expected: str) -> None:
    assert about_after(item_id, lead) == expected


def test_a_basis_or_several_names_are_not_what_moved() -> None:
    # "环比上涨0.5%": the basis of the change; "分别上涨15%和6.5%": which is which is not said
    assert about_after("x6-0022", "环比上涨") is None
    assert about_after("x6-0118", "D-Wave Quantum分别上涨") is None
