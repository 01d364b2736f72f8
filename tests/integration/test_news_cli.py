"""``radar feeds``: parse every real feed as JSON lines; add, list and remove feeds."""

import json
from pathlib import Path

import pytest

from radar_cli.main import main
from radar_schemas import NewsItemIngested

from .test_news_fetch import reply, server

FEEDS = sorted((Path(__file__).parents[1] / "fixtures" / "feeds").iterdir())


def radar(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ended:
        main(list(args))
    out, err = capsys.readouterr()
    return int(ended.value.code or 0), out, err


@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
def test_feeds_parse_prints_valid_items_for_every_real_feed(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = radar(capsys, "feeds", "parse", str(path))
    # a feed too broken to yield an item is a bad input, and says why
    assert code == 0 or (code == 2 and out == "" and f"radar: {path}: " in err), err
    items = [NewsItemIngested.model_validate_json(line) for line in out.splitlines()]
    assert all(item.source == path.stem for item in items)
    assert len({item.item_id for item in items}) == len(items)


def test_feeds_parse_reports_problems_of_a_broken_feed(
    fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fixtures / "feeds/feedparser__illformed_rss_item_link_corrupted_ampersands.xml"
    code, out, err = radar(capsys, "feeds", "parse", str(path))
    assert code == 0 and "XML not well-formed at line 13, column 0" in err
    assert json.loads(out)["url"] == "http://link/get?a=1&b=2"


def test_feeds_parse_fetches_a_url_and_resolves_links_against_it(
    fixtures: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RADAR_ALLOWED_TARGET_NETWORKS", '["127.0.0.0/8"]')  # the test server
    body = (fixtures / "feeds/feed-rs__rss_2.0_relurl_1.xml").read_bytes()
    with server({"/blog/feed.xml": reply(200, body)}) as (base, seen):
        code, out, _ = radar(capsys, "feeds", "parse", f"{base}/blog/feed.xml")
    assert code == 0 and len(seen) == 1
    items = [NewsItemIngested.model_validate_json(line) for line in out.splitlines()]
    assert [i.title for i in items] == [
        "Pareto-optimal compression",
        "Tracking leftover packages with pacman",
    ]


def test_feeds_add_list_remove(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file = str(tmp_path / "feeds.yaml")
    (tmp_path / "a.xml").write_text("<rss/>")
    monkeypatch.chdir(tmp_path)  # a relative path is the user's: relative to where they are
    assert (
        radar(
            capsys,
            "feeds",
            "add",
            "heise",
            "https://www.heise.de/rss/heise.rdf",
            "--interval",
            "600",
            "--language",
            "de",
            "--file",
            file,
        )[0]
        == 0
    )
    assert radar(capsys, "feeds", "add", "local", "a.xml", "--file", file)[0] == 0
    code, _, err = radar(capsys, "feeds", "add", "heise", "https://x.example/", "--file", file)
    assert code == 2 and "exists already" in err
    code, out, _ = radar(capsys, "feeds", "list", "--file", file)
    assert out.splitlines() == [
        "heise\thttps://www.heise.de/rss/heise.rdf\t600s\t0.7\tde",
        f"local\t{tmp_path / 'a.xml'}\t300s\t0.7\t-",
    ]
    assert radar(capsys, "feeds", "remove", "heise", "--file", file)[0] == 0
    assert radar(capsys, "feeds", "list", "--file", file)[1].startswith("local\t")
    code, _, err = radar(capsys, "feeds", "remove", "heise", "--file", file)
    assert code == 2 and "no feed named" in err
    code, _, err = radar(
        capsys, "feeds", "add", "bad", "a.xml", "--credibility", "3", "--file", file
    )
    assert code == 2 and "credibility" in err and len(err.splitlines()) == 1
