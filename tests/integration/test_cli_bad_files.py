"""Files a person gets wrong, given to `radar tag` and `radar backtest`: one line naming the
problem and exit 2, never a traceback; a sentence given where a file belongs gets a hint.

`radar backtest` runs as its own process here: it configures logging for the process, which
in this one would leave structlog writing to a captured, later closed, stderr."""

import json
import os
from pathlib import Path

import pytest

from .test_cli import radar as radar_process
from .test_hardening_cli_args import radar

BINARY = b"\xff\xfe\x00\x01binary\x00\n"


def test_tag_reads_a_text_given_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    # 腾讯: Tencent's Q3 revenue up 15%, advertising revenue up 20% on AI.
    result = radar(capsys, "tag", "--text", "腾讯第三季度营收增长15%，AI推动广告收入增长20%")
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)
    assert "0700.HK" in row["entities"] and "ai_marketing" in row["themes"]
    assert result.stderr.strip() == "radar tag: 1 document tagged"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BINARY, "line 1: not UTF-8 text"),
        (b"Nvidia raises its forecast\n", "line 1: not JSON"),
        (b'["a", "list"]\n', "line 1: not a JSON object with id and text"),
    ],
)
def test_tag_names_the_bad_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "input.jsonl"
    path.write_bytes(content)
    result = radar(capsys, "tag", str(path))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_sentence_where_a_file_belongs_gets_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    result = radar(capsys, "tag", "Azure AI revenue doubled to $13 billion")
    assert result.returncode == 2 and "radar tag --text" in result.stderr


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (BINARY, "nothing to backtest"),
        (b'{"id": "a", "text": "undated"}\n{not json\n', "1 undated news items left out"),
        (b"", "nothing to backtest"),
    ],
)
def test_backtest_of_nothing_usable_is_one_line_and_exit_2(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "history.jsonl"
    path.write_bytes(content)
    result = radar_process(dict(os.environ), "backtest", str(path))
    assert result.returncode == 2, result.stderr
    assert reason in result.stderr and "Traceback" not in result.stderr
