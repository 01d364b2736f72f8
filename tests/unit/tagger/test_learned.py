"""The tagger's learned part: features, the model file, the rules as features, training."""

import gzip
import hashlib
import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import yaml

from radar_reference import load_companies
from radar_schemas import Polarity, Theme
from radar_tagger.domain.features import (
    document_features,
    headline_features,
    polarity_features,
    scoped_features,
    tokens,
)
from radar_tagger.domain.learned import LearnedThemes, headline
from radar_tagger.domain.model import LinearModel, ModelError, load_model, save_model
from radar_tagger.domain.tagger import Tagger
from radar_tagger.domain.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from radar_tagger.evaluate import read_jsonl
from radar_tagger.loading import build_tagger
from radar_tagger.train import THRESHOLDS, main, shrink_threshold, train

ROOT = Path(__file__).parents[3]
EVAL = ROOT / "tests" / "fixtures" / "eval"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return build_tagger()


def test_tokens_fold_digits_and_split_chinese_into_character_pairs() -> None:
    assert tokens("GPT-4o costs $2.50, S&P up") == ["gpt-0o", "costs", "0.00", "s&p", "up"]
    assert tokens("芒果超媒AI营销") == ["芒果", "果超", "超媒", "ai", "营销"]


def test_document_features_mark_the_headline() -> None:
    features = document_features("Nvidia cuts forecast", "Demand slumps.")
    assert {"t:nvidia", "cuts forecast", "demand slumps", "t:cuts forecast"} <= features
    assert "t:demand" not in features


def test_a_negation_turns_round_the_words_of_its_own_clause_only() -> None:
    found = scoped_features("Nvidia did not raise guidance, but demand jumped")
    assert {"not:raise", "not:guidance"} <= found
    assert not {"not:demand", "not:jumped"} & found
    assert "not:beat" in scoped_features("Fails to beat estimates; shares fall")
    assert "not:shares" not in scoped_features("Fails to beat estimates; shares fall")
    assert "not:预期" in scoped_features("公司未能达到预期")
    assert scoped_features("Revenue rose 20% as demand jumped") == set()


def test_a_themes_polarity_reads_its_headline_as_well_as_its_evidence(tagger: Tagger) -> None:
    """The evidence sentence may be neutral where the headline says which way the story goes
    ("Chip stocks fall for a second day"): its words reach the polarity model marked "h:",
    negated words too."""
    reading = tagger.read(
        "Chip stocks fall for a second day, not lifted by AI demand",
        "Nvidia said its new AI chips will ship in the third quarter.",
    )
    vote = reading.votes[Theme.AI_HARDWARE]
    assert headline(reading) == "Chip stocks fall for a second day, not lifted by AI demand"
    features = polarity_features(Theme.AI_HARDWARE, vote, headline_features(headline(reading)))
    assert {"h:fall", "h:stocks fall", "h:not:lifted"} <= features
    assert features - polarity_features(Theme.AI_HARDWARE, vote) == headline_features(
        headline(reading)
    )
    assert headline(tagger.read("", "Nvidia said its AI chips ship soon.")) == ""


@pytest.mark.parametrize(
    ("odds", "said"),
    [
        ((0.45, 0.35, 0.20), Polarity.NEUTRAL),  # the likeliest direction, but not even odds
        ((0.55, 0.25, 0.20), Polarity.POSITIVE),
        ((0.20, 0.50, 0.30), Polarity.NEGATIVE),
        ((0.30, 0.30, 0.40), Polarity.NEUTRAL),
    ],
)
def test_a_direction_needs_even_odds_from_the_polarity_model(
    tagger: Tagger, odds: tuple[float, float, float], said: Polarity
) -> None:
    assert tagger.model is not None
    polarity = LinearModel.from_rows(
        ("positive", "negative", "neutral"), tuple(math.log(p) for p in odds), {}
    )
    learned = LearnedThemes(replace(tagger.model, polarity=polarity), tagger.themes, tagger.permits)
    reading = tagger.read("Nvidia ships its new AI chips", "Nvidia said its AI chips ship now.")
    vote = reading.votes[Theme.AI_HARDWARE]
    assert not vote.specific  # no cue of the theme's own decides the direction here
    marks = headline_features(headline(reading))
    assert learned.polarity(Theme.AI_HARDWARE, vote, marks) is said


def test_linear_model_sums_the_rows_of_known_features() -> None:
    model = LinearModel.from_rows(
        ("a", "b"), (0.5, -1.0), {"x": ((0, 1.0),), "y": ((0, 2.0), (1, 3.0))}
    )
    assert model.scores({"x", "y", "unknown"}) == [3.5, 2.0]
    assert model.weight("y", 1) == 3.0 and model.weight("x", 1) == 0.0
    both = LinearModel.stacked(model, LinearModel.from_rows(("c",), (1.0,), {"z": ((0, 4.0),)}))
    assert both.scores({"x", "z"}) == [1.5, -1.0, 5.0]


def test_a_model_file_of_another_version_or_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    np.savez(path, meta=np.frombuffer(json.dumps({"version": 99}).encode(), np.uint8))
    with pytest.raises(ModelError, match="not a version 2 model"):
        load_model(path)
    old = tmp_path / "model.json.gz"  # the format of version 1
    old.write_bytes(gzip.compress(json.dumps({"version": 1}).encode()))
    with pytest.raises(ModelError, match="malformed"):
        load_model(old)
    with pytest.raises(ModelError, match="cannot read"):
        load_model(tmp_path / "missing.npz")


def test_the_shipped_model_was_trained_on_the_training_files_as_they_are() -> None:
    """Changing a training file without retraining (python -m radar_tagger.train) fails
    here; so would a model trained on anything else, the frozen test split included."""
    trained_on = load_model().trained_on
    assert {Path(name).name for name in trained_on} == {
        "train.jsonl",
        "dev.jsonl",
        "twitter_financial_news_train.jsonl",
    }
    for name, digest in trained_on.items():
        assert hashlib.sha256((ROOT / name).read_bytes()).hexdigest() == digest, name


def test_a_cue_added_to_the_taxonomy_takes_effect_through_the_model(
    tagger: Tagger, tmp_path: Path
) -> None:
    title = "Studio adds an AI frobnicator rig to its new release"
    assert Theme.AI_GAMING not in {t.theme for t in tagger.tag(title, "").themes}
    taxonomy = yaml.safe_load(DEFAULT_TAXONOMY.read_text(encoding="utf-8"))
    taxonomy["themes"]["ai_gaming"]["cues"].append("frobnicator rig")
    edited = tmp_path / "taxonomy.yaml"
    edited.write_text(yaml.safe_dump(taxonomy, allow_unicode=True), encoding="utf-8")
    extended = Tagger(load_taxonomy(edited), load_companies(), tagger.model)
    assert Theme.AI_GAMING in {t.theme for t in extended.tag(title, "").themes}


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (  # WSJ, 2023-01-24: results of a company outside the watched universe, no AI
            "Verizon Adds Subscribers as Guidance Falls Short of Forecasts",
            "The largest U.S. cellphone carrier in terms of subscribers posted higher revenue "
            "for the recently ended quarter.",
        ),
        (  # GameSpot, 2023-06-26: a streaming price rise, no AI
            "Starz Will Raise Its Subscription Price Starting At The End Of June",
            "Outlander and Party Down fans might see a small bump in their Starz package as "
            "it's about to cost a bit more to stream the channel.",
        ),
    ],
)
def test_the_model_keeps_the_taxonomys_requirements(tagger: Tagger, title: str, text: str) -> None:
    """A theme needs AI in the document, or for results and ratings a watched company: the
    model's own findings obey that as the rules' do (RSS captures outside the labelled corpus,
    rumca-js/RSS-Link-Database-2023 @08b89dd9, GPL-3.0, text © publishers)."""
    assert not tagger.tag(title, text).themes


def test_sentiment_is_read_for_any_financial_text(tagger: Tagger) -> None:
    bad = tagger.tag("Airline shares plunge after it cuts its profit forecast", "")
    good = tagger.tag("Retailer raises full-year outlook as sales jump", "")
    calm = tagger.tag("Airline to hold its annual shareholder meeting on May 5", "")
    assert bad.sentiment is Polarity.NEGATIVE and good.sentiment is Polarity.POSITIVE
    assert calm.sentiment is Polarity.NEUTRAL


def test_training_refuses_the_frozen_split_and_fits_a_loadable_model(tmp_path: Path) -> None:
    rows = read_jsonl(EVAL / "dev.jsonl")
    frozen = tmp_path / "frozen.jsonl"
    frozen.write_text(json.dumps({**rows[0], "split": "test"}) + "\n")
    with pytest.raises(SystemExit, match="frozen test split"):
        main([str(frozen), "--out", str(tmp_path / "model.npz")])
    rules = Tagger(load_taxonomy(), load_companies())
    model = train(rows, rules, {"dev.jsonl": "x"})
    assert set(model.themes.outputs) == {t.value for t in Theme}
    assert all(0 < value < 1 for value in model.thresholds.values())
    saved, again = tmp_path / "model.npz", tmp_path / "again.npz"
    save_model(model, saved)
    save_model(model, again)
    assert saved.read_bytes() == again.read_bytes()  # the same model, the same bytes
    loaded = load_model(saved)
    assert loaded.thresholds == model.thresholds and loaded.trained_on == {"dev.jsonl": "x"}
    for part in ("themes", "polarity", "sentiment"):
        assert getattr(loaded, part).index == getattr(model, part).index
        assert np.array_equal(getattr(loaded, part).matrix, getattr(model, part).matrix)
    learned = Tagger(load_taxonomy(), load_companies(), loaded)
    found = learned.tag(rows[0]["title"], rows[0]["text"])
    assert {t.theme.value for t in found.themes} == set(rows[0]["gold"]["themes"])


def test_a_chosen_threshold_is_kept_halfway_to_the_balanced_cut() -> None:
    """Thresholds move toward 0.5 in log-odds, symmetrically, keeping their order."""
    assert shrink_threshold(0.5) == 0.5
    # halfway in log-odds: odds 1:4 become 1:2
    assert shrink_threshold(0.2) == pytest.approx(1 / 3, abs=1e-4)
    assert shrink_threshold(0.8) == pytest.approx(2 / 3, abs=1e-4)
    assert 0.2 < shrink_threshold(0.2) < 0.5 < shrink_threshold(0.8) < 0.8
    assert shrink_threshold(0.2) == pytest.approx(1 - shrink_threshold(0.8), abs=1e-4)
    shrunk = [shrink_threshold(t) for t in THRESHOLDS]
    assert shrunk == sorted(shrunk) and len(set(shrunk)) == len(THRESHOLDS)
    # the shipped model was trained so: every threshold inside the shrunk grid
    shipped = load_model().thresholds.values()
    assert all(shrunk[0] <= value <= shrunk[-1] for value in shipped)
