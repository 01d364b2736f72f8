"""The labelled corpus: the frozen test split stays frozen, the split is disjoint and
stratified, and the tools that merge two annotators' labels do what they say."""

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from radar_schemas import Theme
from radar_tagger.corpus import agreement, disagreement, gold_of, stratified_split
from radar_tagger.evaluate import read_jsonl

EVAL = Path(__file__).parents[2] / "fixtures" / "eval"


# The frozen test split: test.jsonl (frozen 2026-12-04), test_2.jsonl (the second labelling
# round's share, frozen 2026-12-05), test_3.jsonl (the third's, frozen 2026-12-06) and
# test_4.jsonl (the fourth's, news of 2024) and test_5.jsonl (the fifth's, Chinese finance
# news), both frozen 2026-12-06, and test_6.jsonl (the sixth's, Chinese finance news, frozen
# 2026-12-07); each file keeps its own checksum.
TEST_FILES = (
    "test.jsonl",
    "test_2.jsonl",
    "test_3.jsonl",
    "test_4.jsonl",
    "test_5.jsonl",
    "test_6.jsonl",
)


@pytest.mark.parametrize("name", TEST_FILES)
def test_the_frozen_test_split_matches_its_checksum(name: str) -> None:
    """Editing a test file needs its checksum updated in the same commit: the split is never
    tuned on, so a change to it must be deliberate and visible."""
    recorded = (EVAL / f"{name}.sha256").read_text().split()[0]
    assert hashlib.sha256((EVAL / name).read_bytes()).hexdigest() == recorded


def test_the_split_is_disjoint_marked_and_large_enough() -> None:
    train = read_jsonl(EVAL / "train.jsonl")
    test = [row for name in TEST_FILES for row in read_jsonl(EVAL / name)]
    dev = read_jsonl(EVAL / "dev.jsonl")
    ids = [r["id"] for r in train + test + dev]
    assert len(ids) == len(set(ids))
    assert {r["split"] for r in test} == {"test"} and {r["split"] for r in train} == {"train"}
    assert len(test) >= 0.30 * (len(train) + len(test) + len(dev))
    per_theme = Counter(t for r in test for t in r["gold"]["themes"])
    assert all(per_theme[t.value] >= 10 for t in Theme), per_theme
    assert sum(not r["gold"]["themes"] for r in test) >= 80
    assert sum(r.get("lang") == "zh" for r in test) >= 40


def test_disagreement_names_the_fields_that_differ() -> None:
    a = {
        "themes": {"ai_hardware": "negative"},
        "entities": ["NVDA"],
        "sectors": ["ai_infra"],
        "sentiment": "negative",
        "quantities": [{"text": "12%", "value": -12, "unit": "percent", "period": None}],
    }
    b = {
        **a,
        "themes": {"ai_hardware": "positive"},
        "entities": ["nvda"],
        "quantities": [{"text": "12%", "value": 12, "unit": "percent", "period": None}],
    }
    assert disagreement(a, a) == []
    assert disagreement(a, b) == ["polarity", "quantities"]


def test_agreement_scores_one_annotator_against_the_other() -> None:
    a = [
        {"id": "1", "themes": {"ai_gaming": "positive"}, "sentiment": "positive"},
        {"id": "2", "themes": {}, "sentiment": "neutral"},
    ]
    b = [
        {
            "id": "1",
            "themes": {"ai_gaming": "positive", "ai_agents": "positive"},
            "sentiment": "positive",
        },
        {"id": "2", "themes": {}, "sentiment": "negative"},
    ]
    report = agreement(a, b)
    assert round(report["theme_f1"], 3) == 0.667
    assert report["polarity_agreement"] == 1.0 and report["sentiment_agreement"] == 0.5


def test_gold_keeps_a_second_polarity_and_only_figures_both_marked_alike() -> None:
    a = {
        "themes": {"ai_ip": "positive"},
        "polarity_alt": {"ai_ip": "neutral"},
        "quantities": [
            {"text": "$1 billion", "value": 1e9, "unit": "USD", "period": None},
            {"text": "200", "value": 200, "unit": "count", "period": None},
        ],
    }
    b = {"themes": {"ai_ip": "positive"}, "quantities": [a["quantities"][0]]}
    gold = gold_of(a, a, b)
    assert gold["themes"] == {"ai_ip": ["positive", "neutral"]}
    assert [q["text"] for q in gold["quantities"]] == ["$1 billion"]


def test_stratified_split_takes_its_share_of_every_theme_and_keeps_pinned_rows() -> None:
    rows = [
        {"id": f"r{i}", "lang": "en", "gold": {"themes": {theme: ["positive"]}}}
        for i, theme in enumerate(["ai_gaming"] * 20 + ["ai_ip"] * 10 + [] * 0)
    ] + [{"id": f"b{i}", "gold": {"themes": {}}} for i in range(30)]
    test = stratified_split(rows, 0.35, keep={"r0"})
    assert "r0" not in test
    themes = Counter(next(iter(r["gold"]["themes"]), "-") for r in rows if r["id"] in test)
    assert themes["ai_gaming"] == 7 and themes["ai_ip"] == 4 and themes["-"] == 11
    assert json.dumps(sorted(test)) == json.dumps(sorted(stratified_split(rows, 0.35, {"r0"})))
