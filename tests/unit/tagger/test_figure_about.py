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
    ],
)
def test_a_change_says_what_changed(item_id: str, field: str, figure: str, expected: str) -> None:
    assert about_of(item_id, field, figure) == expected


def test_an_adverb_is_no_measure() -> None:
    # "Bitcoin is already up 50% this year": "already" is not what rose.
    assert about_of("x2-0424", "title", "50%") != "already"


def test_a_pronoun_leaves_the_change_unnamed() -> None:
    # What "it" is lies in another sentence; a card then says "change".
    [figure] = quantities("Shares of the company were halted. It rose 12% in late trading.")
    assert figure.kind == "growth"
    assert figure.about is None


def test_amounts_of_money_keep_their_kind_and_no_about() -> None:
    _title, text = training_item("en-0338")
    money = [q for q in quantities(text) if q.unit == "USD"]
    assert money
    assert all(q.about is None for q in money)


def test_what_moved_named_before_the_move_of_a_real_2025_item() -> None:
    # tests/fixtures/news/replay_2025-06.jsonl: "... announced a steep 80% price cut for ..."
    import json
    from pathlib import Path

    path = Path(__file__).parents[2] / "fixtures/news/replay_2025-06.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    (row,) = [r for r in rows if r["title"].startswith("OpenAI launches o3-pro")]
    cut = [q for q in quantities(row["text"]) if q.kind == "growth"]
    assert [(q.value, q.about) for q in cut] == [(-80.0, "price")]
