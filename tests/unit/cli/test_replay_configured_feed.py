"""A replayed or backtested feed file is read with the credibility and language the feeds file
gives it, as ``radar up`` polls it: the bundled sample replays as it runs."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar_cli.feeds import configured_feed
from radar_cli.replay import news_items

NOW = datetime(2026, 12, 6, tzinfo=UTC)
FEED = Path(__file__).parents[2] / "fixtures/feeds/feed-rs__rss_2.0_cloudflare.xml"


def test_the_feeds_files_credibility_and_language_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        f"feeds:\n  - name: cf\n    url: {FEED}\n    credibility: 0.95\n    language: de\n"
    )
    monkeypatch.setenv("RADAR_FEEDS_FILE", str(feeds))
    configured = configured_feed(FEED)
    assert configured is not None and configured.credibility == 0.95
    items = news_items(FEED, "feed", "cf", NOW)
    assert items and {(i.credibility, i.language) for i in items} == {(0.95, "de")}
    # a file the feeds file does not name keeps the defaults
    feeds.write_text("feeds:\n  - name: other\n    url: https://example.com/rss\n")
    assert configured_feed(FEED) is None
    assert {i.credibility for i in news_items(FEED, "feed", "cf", NOW)} == {0.7}


def test_the_bundled_sample_replays_with_its_configured_credibility(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RADAR_FEEDS_FILE", raising=False)
    import radar_news

    sample = Path(radar_news.__file__).parent / "samples/radar-sample.xml"
    configured = configured_feed(sample)
    assert configured is not None and configured.name == "radar-sample"
    assert {i.credibility for i in news_items(sample, "feed", "radar-sample", NOW)} == {0.8}


def test_feeds_parse_reads_a_configured_file_as_it_is_polled(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`radar feeds parse` of the bundled sample shows the credibility `feeds list` shows."""
    monkeypatch.delenv("RADAR_FEEDS_FILE", raising=False)
    import json

    import radar_news
    from radar_cli.main import main

    sample = Path(radar_news.__file__).parent / "samples/radar-sample.xml"
    with pytest.raises(SystemExit) as exited:
        main(["feeds", "parse", str(sample)])
    assert exited.value.code == 0
    items = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert items and {(i["source"], i["credibility"]) for i in items} == {("radar-sample", 0.8)}
