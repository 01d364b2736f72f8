"""Files a person gets wrong, given to `radar tag` and `radar backtest`: one line naming the
problem and exit 2, never a traceback; a sentence given where a file belongs gets a hint.

`radar backtest` runs as its own process here: it configures logging for the process, which
in this one would leave structlog writing to a captured, later closed, stderr."""

import json
import os
import pty
import subprocess
import sys
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


def test_tag_reads_out_a_document_for_a_person(capsys: pytest.CaptureFixture[str]) -> None:
    """--format text: themes with direction, companies, sectors and figures worded as a card
    words them (a Chinese measure in English, an analysts' estimate with its name)."""
    result = radar(
        capsys,
        "tag",
        "--format",
        "text",
        "--text",
        "腾讯第三季度营收增长15%，AI推动广告收入增长20%，高于市场预期的18%",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "text: relevant, sentiment positive"
    assert "▲ ai_marketing positive" in lines[1]
    assert lines[2].startswith("  companies: 0700.HK ")
    assert lines[4].startswith("  figures:   revenue +15% (quarter) [0700.HK];")
    assert "consensus" in lines[4] and "+18%" in lines[4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BINARY, "line 1: not UTF-8 text"),
        (b"Nvidia raises its forecast\n", "line 1: not JSON"),
        (b'["a", "list"]\n', "line 1: not a JSON object with id, and text or title"),
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


def test_tag_skips_a_bad_line_and_tags_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = [
        {"id": "a", "text": "Tencent's advertising revenue rose 20% on AI targeting."},
        {"id": "b", "text": "Take-Two cut its bookings forecast."},
    ]
    path = tmp_path / "input.jsonl"
    lines = [json.dumps(good[0]), "Nvidia raises its forecast", json.dumps(good[1])]
    path.write_text("\n".join(lines) + "\n")
    result = radar(capsys, "tag", str(path))
    assert result.returncode == 2  # a line was lost: said by the exit code too
    assert [json.loads(row)["id"] for row in result.stdout.splitlines()] == ["a", "b"]
    assert "line 2: not JSON" in result.stderr
    assert "2 documents tagged; 1 bad line skipped" in result.stderr


def test_tag_with_no_input_on_a_terminal_says_what_to_give(tmp_path: Path) -> None:
    leader, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "radar_cli.main", "tag"],
            stdin=terminal,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(leader)
        os.close(terminal)
    assert done.returncode == 2 and "nothing to tag" in done.stderr and "--text" in done.stderr


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
