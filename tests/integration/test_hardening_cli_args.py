"""Every argument of the ``radar`` command is validated: a bad one is refused with one line and
a non-zero exit, never a traceback (issue 16, item 8)."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from redis.asyncio import Redis

from radar_cli.main import main
from radar_news.domain.feeds import load_feeds
from radar_schemas import Streams

from ..support.messages import read_all
from ..support.processes import ROOT, service_env
from .test_cli import alert
from .test_hardening_cli_redis import one_line_error

PUBLISHED = "2026-11-20T09:00:00Z"


def radar(capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess[str]:
    """``radar ARGS`` in this process (no Redis is reached by these): exit code and output."""
    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as ended:
        code = ended.code if isinstance(ended.code, int) else (0 if ended.code is None else 1)
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), code, out, err)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("alerts", "tail", "--count", "-1"), "--count"),
        (("alerts", "tail", "--count", "0"), "--count"),
        (("alerts", "tail", "--count", "many"), "--count"),
        (("alerts", "tail", "--timeout", "-3"), "--timeout"),
        (("alerts", "tail", "--timeout", "nan"), "--timeout"),
        (("webhooks", "rotate-secret", "ep_x", "--grace-hours", "-1"), "--grace-hours"),
        (("webhooks", "rotate-secret", "ep_x", "--grace-hours", "inf"), "--grace-hours"),
        (("up", "--duration", "-5"), "--duration"),
        (("up", "--http-port-base", "-1"), "--http-port-base"),
        (("up", "--http-port-base", "65533"), "--http-port-base"),
        (("feeds", "parse", "x.xml", "--timeout", "-1"), "--timeout"),
        (
            ("feeds", "add", "n", "https://example.com/f", "--interval", "-1", "--file", "f"),
            "interval",
        ),
        (("alerts", "tail", "--unknown-option"), "--unknown-option"),
        (("scores", "--at", "yesterday"), "--at"),
        (("silence", "add", "sector=gaming", "--for", "-2h"), "--for"),
        ((), "command"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else value,
)
def test_bad_arguments_are_one_line_errors(
    args: tuple[str, ...], option: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    if args[:1] == ("up",):  # a process of its own, bounded, away from the repository
        guard = ["--duration", "5", "--no-tail", "--state-dir", str(tmp_path / "state")]
        result = subprocess.run(
            [sys.executable, "-m", "radar_cli.main", "up", *guard, *args[1:]],
            env={k: v for k, v in os.environ.items() if not k.startswith("RADAR_")},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        one_line_error(result, option)
        return
    one_line_error(radar(capsys, *args), option)


def test_schema_export_to_a_bad_path_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    one_line_error(radar(capsys, "schema", "export", str(blocker / "schemas")), str(blocker))
    one_line_error(radar(capsys, "schema", "asyncapi", str(blocker / "api.json")), str(blocker))
    assert radar(capsys, "schema", "export", str(tmp_path / "ok")).returncode == 0


@pytest.mark.parametrize(
    "args",
    [("scores", "--json"), ("alerts", "tail", "--from", "beginning", "--json", "--count", "1")],
    ids=" ".join,
)
async def test_output_into_a_closed_pipe_exits_quietly(
    args: tuple[str, ...], redis: Redis, redis_url: str, streams: Streams
) -> None:
    """``radar scores --json | head -0``: the reader is gone before anything is written."""
    await redis.xadd(streams.alerts, alert("gaming", datetime.now(UTC)))  # type: ignore[arg-type]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "radar_cli.main", *args],
            env=service_env(redis_url, streams.prefix),
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode != 0


# --- feeds add ------------------------------------------------------------------------------


def test_feeds_add_stores_a_relative_path_as_an_absolute_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work, conf = tmp_path / "work", tmp_path / "conf"
    (work / "data").mkdir(parents=True)
    conf.mkdir()
    feed = work / "data" / "a.xml"
    feed.write_text("<rss version='2.0'><channel><title>t</title></channel></rss>")
    monkeypatch.chdir(work)
    added = radar(capsys, "feeds", "add", "local", "data/a.xml", "--file", "../conf/feeds.yaml")
    assert added.returncode == 0, added.stderr
    stored = yaml.safe_load((conf / "feeds.yaml").read_text())["feeds"][0]["url"]
    assert stored == str(feed)
    assert [f.url for f in load_feeds(conf / "feeds.yaml")] == [str(feed)]  # as news reads it


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/feed.xml",
        "http://",
        "https:///feed.xml",
        "https://exa mple.com/feed",
        "https://example.com:99999/feed",
        "javascript://alert(1)",
        "no-such-dir/feed.xml",
        "file:///no/such/feed.xml",
        ".",
    ],
)
def test_feeds_add_refuses_bad_urls_and_missing_files(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "feeds.yaml"
    result = radar(capsys, "feeds", "add", "bad", url, "--file", str(file))
    one_line_error(result, url.strip())
    assert not file.exists()


# --- replay ---------------------------------------------------------------------------------


async def test_replay_skips_lines_without_id_or_words_and_says_how_many(
    redis: Redis, redis_url: str, streams: Streams, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.jsonl"
    rows = [
        json.dumps(
            {"id": "good-1", "title": "Good", "text": "AI revenue grew.", "published": PUBLISHED}
        ),
        json.dumps({"title": "No id", "text": "Some text."}),
        # a headline alone is news
        json.dumps({"id": "no-text", "title": "Only a title", "published": PUBLISHED}),
        json.dumps({"id": "blank-text", "title": "Blank", "text": "   ", "published": PUBLISHED}),
        json.dumps({"id": "no-words", "title": " ", "text": ""}),
        "{not json",
        json.dumps(["a", "list"]),
        "",
        json.dumps(
            {"id": "good-2", "text": "Gaming studios license AI voices.", "published": PUBLISHED}
        ),
    ]
    not_utf8 = b'{"id": "bytes", "text": "\xff\xfe"}'
    path.write_bytes(("\n".join(rows) + "\n").encode() + not_utf8 + b"\n")
    result = subprocess.run(
        [sys.executable, "-m", "radar_cli.main", "replay", str(path)],
        env=service_env(redis_url, streams.prefix),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 1 and "skipped 5 of 9 lines" in skipped[0], result.stderr
    assert "no title or text: line 5" in skipped[0] and "no id: line 2" in skipped[0]
    assert "4 published" in result.stderr
    events = await read_all(redis, streams.news)
    assert [e.correlation_id for e in events] == ["good-1", "no-text", "blank-text", "good-2"]


def test_replay_of_a_broken_calendar_is_one_line(
    redis_url: str, prefix: str, tmp_path: Path
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"symbol": "ACME", "date": ')
    result = subprocess.run(
        [sys.executable, "-m", "radar_cli.main", "replay", str(path)],
        env=service_env(redis_url, prefix),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    one_line_error(result, str(path))
