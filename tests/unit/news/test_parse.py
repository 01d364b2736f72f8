"""Feed parsing on real feeds, including deliberately broken ones."""

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar_news.domain.feeds import FeedConfig, FeedsFileError, load_feeds
from radar_news.domain.parse import parse_feed
from radar_news.domain.text import _TextExtractor, html_to_text, plain_text, without_footer

NOW = datetime(2026, 11, 26, tzinfo=UTC)
FEEDS = sorted((Path(__file__).parents[2] / "fixtures" / "feeds").iterdir())


@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
def test_every_real_feed_parses_without_an_exception(path: Path) -> None:
    items = parse_feed(path.read_bytes(), FeedConfig(name="f", url=str(path)), NOW)
    for item in items:
        assert item.published_at.tzinfo is not None
        assert item.title or item.text or item.url


def test_real_atom_feed_gives_items_with_ids_dates_and_text(fixtures: Path) -> None:
    data = (fixtures / "feeds/rss-parser__heise.atom").read_bytes()
    items = parse_feed(data, FeedConfig(name="heise", url="x"), NOW)
    assert len(items) == 15
    assert len({i.item_id for i in items}) == 15
    assert not any(i.published_estimated for i in items)
    assert all("<" not in i.text for i in items)
    assert parse_feed(data, FeedConfig(name="heise", url="x"), NOW) == items  # deterministic


def test_missing_dates_are_estimated_and_flagged() -> None:
    feed = (
        b"<rss><channel><item><title>No date</title><link>http://a/1</link></item></channel></rss>"
    )
    (item,) = parse_feed(feed, FeedConfig(name="f", url="x"), NOW)
    assert item.published_at == NOW and item.published_estimated


def test_html_to_text_drops_script_and_decodes_entities() -> None:
    html = "<p>AI &amp; ads</p><script>alert(1)</script><style>p{}</style><p>second&nbsp;line</p>"
    assert html_to_text(html) == "AI & ads\nsecond line"


def test_feeds_file_errors_name_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - name: ok\n    url: a.xml\n  - name: bad\n    credibility: 3\n")
    with pytest.raises(FeedsFileError, match=r"feeds\[1\]"):
        load_feeds(path)
    path.write_text("feeds:\n  - name: ok\n    url: a.xml\n")
    assert load_feeds(path)[0].url == str(tmp_path / "a.xml")


@pytest.mark.parametrize("text", ["- name: a\n  url: a.xml\n", "feeds:\n  name: a\n", "just text"])
def test_feeds_file_of_the_wrong_shape_is_a_clear_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(text)
    with pytest.raises(FeedsFileError, match="expected a mapping with a list under 'feeds:'"):
        load_feeds(path)


def test_plain_text_reads_as_its_escaped_markup_would(fixtures: Path) -> None:
    """JSON Feed content_text is tidied without the HTML pass: the same text as escaping it
    and reading it as markup did, on every real text and on text that looks like markup."""
    texts = [
        json.loads(line).get("text") or ""
        for name in ("eval/dev.jsonl", "news/background.jsonl")
        for line in (fixtures / name).read_text().splitlines()
    ]
    texts += ["a &amp; b", "<b>not bold</b>", "&#169; &nbsp;", "x\x00y", " \u00a0\r\n\n\tz "]
    texts += ["a \t b\u00a0\u00a0c", " \u00a0 x\ty ", "\t", "  ", "a\r\nb", "p\u2028q \n"]
    for text in texts:
        assert plain_text(text) == _escaped_and_read_as_markup(text)


def _escaped_and_read_as_markup(text: str) -> str:
    """What JSON Feed plain text used to go through: escaped, read by the HTML parser, then
    every run of blanks one space, every line break with the blanks around it one newline."""
    extractor = _TextExtractor()
    extractor.feed(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    extractor.close()
    spaced = re.sub(r"[ \t\r\f\v\u00a0]+", " ", "".join(extractor.parts))
    return re.sub(r"\s*\n\s*", "\n", spaced).strip()


def test_json_feed_content_text_stays_literal() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": "1", "title": "T", "content_text": "AT&amp;T <b>rises</b>\n\n  now"}],
    }
    (item,) = parse_feed(json.dumps(feed).encode(), FeedConfig(name="f", url="x"), NOW)
    assert item.text == "AT&amp;T <b>rises</b>\nnow"


def test_plain_text_is_only_tidied() -> None:
    assert html_to_text("  plain  text \r\n\n with\tspaces ") == "plain text\nwith spaces"
    assert html_to_text("Q3 > Q2") == "Q3 > Q2"
    assert html_to_text("Q3 &gt; Q2 &amp; <i>Q1</i>") == "Q3 > Q2 & Q1"


def test_a_wordpress_feed_footer_is_dropped_and_a_cut_excerpt_keeps_its_ellipsis(
    fixtures: Path,
) -> None:
    # Items of AI News's feed (artificialintelligence-news.com) in the June 2025 replay file,
    # as the feed gave them: RSS descriptions are cut excerpts with WordPress's footer.
    lines = (fixtures / "news/replay_2025-06.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    reddit = next(r for r in rows if r["title"].startswith("Reddit sues Anthropic"))
    assert reddit["text"].endswith(
        "[…] The post Reddit sues Anthropic for scraping user data to train AI appeared first"
        " on AI News."
    )
    description = reddit["text"].replace("&", "&amp;").replace("<", "&lt;")
    feed = (
        f"<rss><channel><item><title>{reddit['title']}</title><link>https://a/1</link>"
        f"<description>{description}</description></item></channel></rss>"
    ).encode()
    (item,) = parse_feed(feed, FeedConfig(name="ai-news", url="x"), NOW)
    assert "appeared first on" not in item.text and "The post" not in item.text
    assert item.text.endswith("even after publicly stating that it had…")
    # after a whole text the footer goes and the text stays whole; another item's footer, a
    # footer inside the text or a text without one is kept as it is
    ending = (
        "The post Teachers in England given the green-light to use AI appeared first on AI News."
    )
    assert (
        without_footer(
            f"Teachers may use AI. {ending}", "Teachers in England given the green-light to use AI"
        )
        == "Teachers may use AI."
    )
    assert without_footer(f"Teachers may use AI. {ending}", "Another story") == (
        f"Teachers may use AI. {ending}"
    )
    assert without_footer(
        f"{ending}\nMore text.", "Teachers in England given the green-light to use AI"
    ).endswith("More text.")
    assert without_footer("No footer here.", "No footer") == "No footer here."
