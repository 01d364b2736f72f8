"""The regression corpus (tests/fixtures/fuzz and the generated cases of corpus.py): every
input that crashed, hung or escaped a parser keeps to its parser's contract."""

import subprocess
import sys
from pathlib import Path

import pytest

from . import corpus

ROOT = Path(__file__).parents[3]
FILES = [
    path
    for target in ("feeds", "calendars", "companyfacts", "documents")
    for path in corpus.files(target)
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_file(path: Path) -> None:
    corpus.check_file(path)


@pytest.fixture(scope="module")
def generated() -> tuple[dict[str, list[str]], str]:
    """Each generated case's outcome, and the child's stderr. One child process for all: a
    regression to the entity bomb's SIGSEGV must not take the test run with it."""
    child = subprocess.run(
        [sys.executable, "-m", "tests.unit.fuzz.corpus"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    outcomes = {name: rest for name, *rest in map(str.split, child.stdout.splitlines())}
    return outcomes, f"exit {child.returncode}: {child.stderr[-2000:]}"


@pytest.mark.parametrize("name", sorted(corpus.GENERATED))
def test_generated_case(name: str, generated: tuple[dict[str, list[str]], str]) -> None:
    outcomes, child = generated
    assert name in outcomes, f"{name}: the child process died before reporting it ({child})"
    outcome, detail = outcomes[name][0], " ".join(outcomes[name][1:])
    assert outcome == "ok", detail
    assert float(detail) < corpus.TIME_LIMIT_S
