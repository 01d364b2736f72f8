"""Hostile and broken feeds (issue 16, item 3): each yields what can be recovered and says
what went wrong; none raises, crashes the process or takes super-linear time."""

import json
import re
import subprocess
import sys
import time
from datetime import UTC, datetime

from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import ParsedFeed, parse_document
from radar_news.domain.text import html_to_text, plain_text

NOW = datetime(2026, 11, 26, tzinfo=UTC)
ITEM = b"<item><title>Kept</title><link>http://a.example/1</link></item>"


def parse(content: bytes) -> ParsedFeed:
    return parse_document(content, FeedConfig(name="f", url="x"), NOW)


def rss(prolog: bytes = b"", items: bytes = ITEM) -> bytes:
    return b'<?xml version="1.0"?>' + prolog + b"<rss><channel>" + items + b"</channel></rss>"


def json_feed(*items: object) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()


# Run in a child process: before the fix, expat overflowed its stack (SIGSEGV, exit 139).
_BOMB = """
import sys
from datetime import UTC, datetime
from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import parse_document
n = 50_000
decls = "".join(f'<!ENTITY e{i} "&e{i - 1};">' for i in range(1, n))
doc = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e0 "x">' + decls + ']><rss><channel>'
       f'<item><title>&e{n - 1};</title><link>http://a.example/1</link></item>'
       '</channel></rss>').encode()
parsed = parse_document(doc, FeedConfig(name="f", url="x"), datetime.now(UTC))
print(len(doc), [i.url for i in parsed.items], parsed.problems)
"""


def test_nested_entity_declarations_do_not_crash_expat() -> None:
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-c", _BOMB], capture_output=True, text=True, timeout=120, check=False
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert "['http://a.example/1']" in child.stdout  # the item, its entity left unexpanded
    assert "DTD" in child.stdout
    assert time.monotonic() - started < 30


def test_a_dtd_internal_subset_is_refused_and_items_still_recovered() -> None:
    prolog = b'<!DOCTYPE rss [<!ENTITY a "&b;&b;"><!ENTITY b "x">]>'
    parsed = parse(rss(prolog, b"<item><title>T &a;</title><link>http://a.example/1</link></item>"))
    (item,) = parsed.items
    assert item.url == "http://a.example/1"
    assert "xxxx" not in item.title  # never expanded
    assert any("DTD" in p for p in parsed.problems)


def test_a_parameter_entity_subset_is_refused() -> None:
    prolog = b"<!DOCTYPE rss [<!ENTITY % p \"<!ENTITY q 'x'>\"> %p;]>"
    parsed = parse(rss(prolog))
    assert [i.title for i in parsed.items] == ["Kept"]
    assert any("DTD" in p for p in parsed.problems)


def test_a_doctype_without_internal_subset_still_parses_strictly() -> None:
    prolog = b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "rss.dtd">'
    parsed = parse(rss(prolog))
    assert [i.title for i in parsed.items] == ["Kept"]
    assert parsed.problems == []


def test_a_byte_flip_in_the_xml_declaration_loses_no_item() -> None:
    # A non-UTF-8 byte in the encoding name made feedparser raise UnicodeDecodeError.
    parsed = parse(
        b'<?xml version="1.0" encoding="\xe8tf-8"?><rss><channel>' + ITEM + b"</channel></rss>"
    )
    assert [i.title for i in parsed.items] == ["Kept"]
    assert parsed.problems


def test_a_deeply_nested_json_feed_is_a_problem_not_a_recursion_error() -> None:
    for depth in (100_000, 500):
        parsed = parse(b'{"items":' + b"[" * depth + b"]" * depth + b"}")
        assert parsed.items == []
        assert any("nested" in p for p in parsed.problems), parsed.problems


def test_deep_nesting_beside_the_items_is_refused_too() -> None:
    parsed = parse(b'{"_ext":' + b'{"a":' * 300 + b"1" + b"}" * 300 + b',"items":[]}')
    assert any("nested" in p for p in parsed.problems)


def test_json_feed_problems_are_one_line() -> None:
    parsed = parse(b'{"version": 5, "items": []}')
    (problem,) = parsed.problems
    assert "\n" not in problem and "version" in problem


def test_odd_json_feed_items_are_skipped_or_kept_one_by_one() -> None:
    parsed = parse(
        json_feed(
            {"id": "\ud800", "title": "lone surrogate"},
            {"title": "bad link", "url": "http://[::1"},
            {"title": "bad port", "url": "http://a.example:99999999/"},
            {"title": "marked section <![x[ y"},
            {"id": "ok", "title": "fine", "url": "http://a.example/2"},
        )
    )
    titles = [i.title for i in parsed.items]
    assert "fine" in titles and "bad link" in titles and "bad port" in titles
    assert next(i for i in parsed.items if i.title == "bad port").url is None
    assert any(t.startswith("marked section") for t in titles)


def test_html_to_text_reads_an_unknown_marked_section_as_a_comment() -> None:
    assert html_to_text("a <![x[ hidden ]]> b") == "a b"


def _old_lines(text: str) -> str:
    spaced = re.sub(r" [ \t\r\f\v\u00a0]+|[\t\r\f\v\u00a0][ \t\r\f\v\u00a0]*", " ", text)
    return (re.sub(r"\s*\n\s*", "\n", spaced) if "\n" in spaced else spaced).strip()


def test_plain_text_is_linear_on_long_runs_of_unicode_spaces() -> None:
    # A run with no line break in it, in a text that has one: every start in the run scanned on.
    text = "a\nb" + "\u3000" * 160_000 + "c"  # 480 KB of UTF-8
    started = time.process_time()  # CPU time: other test workers share the cores
    assert plain_text(text) == text
    assert time.process_time() - started < 1.0
    for sample in ["a \u2003\u2003\n \u3000b", "x\u3000\u3000y\nz", "\n\n a\u2028 b \u2029"]:
        assert plain_text(sample) == _old_lines(sample)


def test_html_to_text_is_linear_on_unterminated_tags_and_comments() -> None:
    # html.parser before Python 3.13.4 rescans the rest once per unterminated construct.
    for unit in ("<x\n", "<a b='", "<!--", "<![CDATA[", "</x\n"):
        started = time.process_time()  # CPU time: other test workers share the cores
        text = html_to_text("lead " + unit * 20_000)
        assert text.startswith("lead"), unit
        assert time.process_time() - started < 2.0, unit


def test_a_truncated_tag_at_the_end_reads_as_before() -> None:
    # Up to a few unterminated constructs at the end are read exactly as html.parser does.
    assert html_to_text('<p>Text</p> and <a href="http://x/?a=1&amp;b') == (
        'Text\nand <a href="http://x/?a=1&b'
    )
