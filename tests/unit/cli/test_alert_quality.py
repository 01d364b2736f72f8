"""How the event-card rule's alerts are judged against labelled documents (`make eval`'s
alert section): real text, the shipped tagger and the bundled rule."""

import json
from pathlib import Path
from typing import Any

import pytest

from radar_alerter.domain.load import load_rules
from radar_alerter.domain.rules import DocumentRule
from radar_alerter.settings import DEFAULT_RULES_FILE
from radar_cli import alert_quality
from radar_cli.alert_quality import Outcome, judge, render
from radar_reference import load_companies
from radar_schemas import Theme
from radar_tagger.loading import build_tagger

ROOT = Path(__file__).resolve().parents[3]
NVIDIA = "5fd67a63c3"  # dev.jsonl: quarterly sales tripled, beating expectations
EA_BOOKINGS = "c42a594f9a"  # dev.jsonl: net bookings up 21% year over year
NO_FIGURE = "6aac0c38f5"  # dev.jsonl: Lionsgate's deal with an AI company, no figure


def dev_row(item_id: str) -> dict[str, Any]:
    lines = (ROOT / "tests/fixtures/eval/dev.jsonl").read_text(encoding="utf-8").splitlines()
    return next(json.loads(line) for line in lines if json.loads(line)["id"] == item_id)


@pytest.fixture(scope="module")
def judged() -> dict[str, Outcome]:
    rule = next(r for r in load_rules(DEFAULT_RULES_FILE).rules if r.name == "event_card")
    assert isinstance(rule, DocumentRule)
    tagger, reference = build_tagger(), load_companies()
    row = dev_row(NVIDIA)
    gold = row["gold"]
    flipped = {theme: ["negative"] for theme in gold["themes"]}
    background_text = json.loads(
        (ROOT / "tests/fixtures/news/background.jsonl").read_text(encoding="utf-8").split("\n")[0]
    )
    rows = {
        "as labelled": row,
        "direction flipped": {**row, "gold": {**gold, "themes": flipped}},
        "another company": {**row, "gold": {**gold, "entities": ["AMD"]}},
        "labelled background": {**row, "gold": {**gold, "themes": {}}},
        "no signal": {"id": "bg", "text": background_text["text"], "gold": None},
    }
    return {name: judge(tagger, rule, reference, r) for name, r in rows.items()}


def test_a_card_is_right_only_with_the_theme_direction_and_company_the_annotators_gave(
    judged: dict[str, Outcome],
) -> None:
    assert judged["as labelled"] == Outcome(
        background=False,
        directional=True,
        card=True,
        theme=True,
        direction=True,
        company=True,
        card_theme=judged["as labelled"].card_theme,
        warning=True,  # "sales tripled": +200%, a figure of Nvidia's own
    )
    assert judged["as labelled"].card_theme in {t.value for t in Theme}
    assert judged["as labelled"].right
    flipped = judged["direction flipped"]
    assert flipped.card and flipped.theme and not flipped.direction and not flipped.right
    other = judged["another company"]
    assert other.card and other.company is False and not other.right
    alarm = judged["labelled background"]
    assert alarm.background and alarm.card and not alarm.right
    quiet = judged["no signal"]
    assert quiet.background and not quiet.card


def test_the_report_counts_cards_false_alarms_and_misses(judged: dict[str, Outcome]) -> None:
    rule = next(r for r in load_rules(DEFAULT_RULES_FILE).rules if r.name == "event_card")
    assert isinstance(rule, DocumentRule)
    lines = render("five", rule, list(judged.values()), samples=50)
    assert lines[0].startswith("== alerts of rule event_card (min confidence 0.8) on five: 5")
    table = {line[:44].strip(): line[44:].strip() for line in lines[1:]}
    assert table["cards raised"] == "4"
    assert table["cards a person could act on"].startswith("25.0% (1 of 4) [")
    assert table["on background items (false alarms)"] == "25.0% (1 of 4)"
    assert table["and its direction"] == "66.7% (2 of 3)"
    assert table["background items raising a card"] == "50.0% (1 of 2)"
    # the four cards are of one item's theme: right once (as labelled) of four
    assert table[judged["as labelled"].card_theme] == "25.0% (1 of 4)"


def test_a_card_stating_its_company_s_figure_is_counted_as_a_warning(
    judged: dict[str, Outcome],
) -> None:
    rule = next(r for r in load_rules(DEFAULT_RULES_FILE).rules if r.name == "event_card")
    assert isinstance(rule, DocumentRule)
    bookings = judge(build_tagger(), rule, load_companies(), dev_row(EA_BOOKINGS))
    assert bookings.card and bookings.warning and bookings.right
    no_figure = judge(build_tagger(), rule, load_companies(), dev_row(NO_FIGURE))
    assert no_figure.card and not no_figure.warning
    lines = render("two", rule, [bookings, judged["direction flipped"], no_figure], samples=0)
    table = {line[:44].strip(): line[44:].strip() for line in lines[1:]}
    assert table["cards a person could act on"] == "66.7% (2 of 3)"
    assert table["warning cards a person could act on"] == "50.0% (1 of 2)"


def test_an_unknown_rule_is_named_with_the_rules_there_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        alert_quality.main(["--rule", "nope", str(ROOT / "tests/fixtures/eval/dev.jsonl")])
    assert "no document rule named 'nope' (document rules: event_card)" in str(stopped.value)
