"""`python -m radar_tagger.evaluate A+B` scores two labelled files as one set."""

import json
from pathlib import Path

import pytest

from radar_tagger.evaluate import main, score_document
from radar_tagger.loading import build_tagger

DEV = Path(__file__).resolve().parents[2] / "fixtures/eval/dev.jsonl"


def test_joined_files_are_scored_as_one_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = DEV.read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("".join(lines[:20]), encoding="utf-8")
    second.write_text("".join(lines[20:]), encoding="utf-8")
    main([str(first), f"{first}+{second}", str(DEV), "--bootstrap", "0", "--json"])
    out = json.loads(capsys.readouterr().out)
    joined, whole = out["a.jsonl + b.jsonl"]["report"], out["dev.jsonl"]["report"]
    assert out["a.jsonl"]["report"]["documents"] == 20
    assert joined == whole and whole["documents"] == len(lines)


def test_a_missing_file_in_a_join_is_named(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"nothing\.jsonl"):
        main([f"{DEV}+{tmp_path / 'nothing.jsonl'}", "--bootstrap", "0"])


def test_figures_of_a_background_item_are_not_scored() -> None:
    """x4-0004 (training part): a background item whose annotators marked its figures (the
    guideline allows it, and says they are not scored); the tagger reports none for it."""
    train = Path(__file__).resolve().parents[2] / "fixtures/eval/train.jsonl"
    row = next(
        json.loads(line) for line in train.read_text().splitlines() if '"id": "x4-0004"' in line
    )
    assert row["gold"]["themes"] == {} and len(row["gold"]["quantities"]) == 3
    score = score_document(build_tagger(), row)
    assert score.background and score.figures == []
    themed = {**row, "gold": {**row["gold"], "themes": {"ai_hardware": ["negative"]}}}
    assert len(score_document(build_tagger(), themed).figures) == 3


def test_a_set_is_reported_whole_before_its_chinese_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The figures a reader trusts come first, so a report cut short still shows them."""
    train = Path(__file__).resolve().parents[2] / "fixtures/eval/train.jsonl"
    rows = [json.loads(line) for line in train.read_text(encoding="utf-8").splitlines()]
    picked = [r for r in rows if r.get("lang") != "zh"][:4] + [
        r for r in rows if r.get("lang") == "zh"
    ][:2]
    labelled = tmp_path / "mixed.jsonl"
    labelled.write_text("".join(json.dumps(r) + "\n" for r in picked), encoding="utf-8")
    main([str(labelled), "--bootstrap", "0"])
    heads = [line for line in capsys.readouterr().out.splitlines() if line.startswith("== ")]
    assert heads == ["== mixed.jsonl: 6 documents", "== mixed.jsonl, Chinese items: 2 documents"]


def test_a_figure_is_judged_against_the_company_it_is_labelled_with() -> None:
    """en-0088 (training part): "$110 billion" is OpenAI's funding, "$50 billion" Amazon's
    part of it; the company a figure is tied to is scored where the label names one."""
    train = Path(__file__).resolve().parents[2] / "fixtures/eval/train.jsonl"
    row = next(
        json.loads(line) for line in train.read_text().splitlines() if '"id": "en-0088"' in line
    )
    tagger = build_tagger()
    assert [f[4] for f in score_document(tagger, row).figures] == [True, True]
    gold = row["gold"]
    swapped = [
        {**q, "company": other}
        for q, other in zip(gold["quantities"], ["AMZN", "openai"], strict=True)
    ]
    unnamed = [{**q, "company": None} for q in gold["quantities"]]
    for quantities, judged in ((swapped, [False, False]), (unnamed, [None, None])):
        figures = score_document(tagger, {**row, "gold": {**gold, "quantities": quantities}})
        assert [f[4] for f in figures.figures] == judged
