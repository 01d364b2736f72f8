"""Chinese feeds in GBK, GB18030, GB2312 and Big5 that do not say so (an XML declaration
without an encoding, or none at all, and no HTTP charset) parse to the right Chinese titles
through the news service's parse path, instead of windows-1252 mojibake. The text is real:
Chinese news items from tests/fixtures/china/news_zh.jsonl and feedparser's Big5 feed."""

import json
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from radar_news.domain.encoding import undeclared_to_utf8
from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import parse_document

NOW = datetime(2026, 11, 20, tzinfo=UTC)
FEED = FeedConfig(name="cn", url="https://news.example.cn/rss.xml")


def chinese_items(fixtures: Path) -> list[dict[str, str]]:
    lines = (fixtures / "china/news_zh.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def rss(items: list[dict[str, str]], declaration: str) -> str:
    entries = "".join(
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['url'])}</link>"
        f"<guid>{escape(i['url'])}</guid><description>{escape(i['text'])}</description></item>"
        for i in items
    )
    return f"{declaration}<rss version='2.0'><channel><title>财经</title>{entries}</channel></rss>"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
@pytest.mark.parametrize("declaration", ['<?xml version="1.0"?>\n', ""])
def test_undeclared_gbk_feed_gives_the_chinese_titles(
    fixtures: Path, encoding: str, declaration: str
) -> None:
    items = chinese_items(fixtures)
    content = rss(items, declaration).encode(encoding)
    parsed = parse_document(content, FEED, NOW)
    assert [i.title for i in parsed.items] == [i["title"] for i in items]
    assert parsed.items[0].text.startswith("时间:2025年12月10日 中财网")
    assert "三七互娱" in parsed.items[0].title
    # A guess is reported (counted in radar_news_parse_problems_total), not hidden.
    assert parsed.problems[0] == "encoding not declared and not UTF-8: read as gb18030 (detected)"


def test_undeclared_gb2312_feed(fixtures: Path) -> None:
    """GB2312 holds fewer characters: the items whose text it can encode."""
    items = []
    for item in chinese_items(fixtures):
        try:
            rss([item], "").encode("gb2312")
        except UnicodeEncodeError:
            continue
        items.append(item)
    assert items
    parsed = parse_document(rss(items, "").encode("gb2312"), FEED, NOW)
    assert [i.title for i in parsed.items] == [i["title"] for i in items]


def test_undeclared_big5_feed(fixtures: Path) -> None:
    """feedparser's own real-world Big5 sample: an Atom feed with no encoding anywhere."""
    content = (fixtures / "feeds/feedparser__illformed_chardet_big5.xml").read_bytes()
    title = content.split(b"<title>")[1].split(b"</title>")[0].decode("cp950")
    converted_bytes, sniffed = undeclared_to_utf8(content)
    assert sniffed == "cp950"  # Big5, read with its Windows extensions
    converted = converted_bytes.decode("utf-8")
    assert f"<title>{title}</title>" in converted
    assert title.startswith("我希望") and "中文" in title


def test_a_declared_encoding_is_left_to_the_parser(fixtures: Path) -> None:
    items = chinese_items(fixtures)
    content = rss(items, '<?xml version="1.0" encoding="GB18030"?>\n').encode("gb18030")
    assert undeclared_to_utf8(content) == (content, None)
    parsed = parse_document(content, FEED, NOW)
    assert [i.title for i in parsed.items] == [i["title"] for i in items]


def test_utf8_is_left_alone(fixtures: Path) -> None:
    content = rss(chinese_items(fixtures), "").encode("utf-8")
    assert undeclared_to_utf8(content) == (content, None)


def test_undeclared_shift_jis_feed(fixtures: Path) -> None:
    """feedparser's Shift-JIS sample: the same sniffing serves Japanese feeds."""
    content = (fixtures / "feeds/feedparser__illformed_chardet_shiftjis.xml").read_bytes()
    parsed = parse_document(content, FEED, NOW)
    assert [i.title for i in parsed.items] == ["DrecomRSSに記事投稿が反映されない…"]
