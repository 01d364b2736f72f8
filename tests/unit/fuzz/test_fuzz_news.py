"""Fuzzing feed parsing: real feeds mutated (byte flips, truncation, hostile snippets), RSS and
Atom documents built around random text, JSON Feeds of random shape, and raw bytes."""

import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from . import contracts
from .budget import FUZZ

FEEDS = Path(__file__).parents[2] / "fixtures" / "feeds"
# The smaller real feeds (a mutation costs a whole parse), RSS, Atom, RDF and JSON Feed.
REAL = [p.read_bytes() for p in sorted(FEEDS.iterdir()) if p.stat().st_size < 12_000]

# Pieces of markup that reached expat, feedparser or the normaliser in a bad state.
HOSTILE = [
    b'<!DOCTYPE rss [<!ENTITY a "&b;&b;"><!ENTITY b "x">]>',
    b"<!DOCTYPE x [<!ENTITY % p \"<!ENTITY q 'y'>\"> %p;]>",
    b'<!ENTITY e SYSTEM "file:///etc/passwd">',
    b"&a;&e;&amp;&#0;&#x110000;&#xD800;",
    b'<?xml version="1.0" encoding="\xe8tf-8"?>',
    b'<?xml version="1.0" encoding="utf-16"?>',
    b'<?xml version="1.0" encoding="x-unknown"?>',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"\xed\xa0\x80",
    b"<![x[ y ]]>",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    "\u3000\u2003\u2028 \n".encode() * 50,
    b"<a b='" * 40,
    b"<x\n" * 40,
    b"<p>" * 500,
    b"<item><title>t</title><link>http://[::1</link></item>",
    b"<item><link>http://a.example:99999999/</link><pubDate>Mon, 99 Foo 99999</pubDate></item>",
]


@st.composite
def mutated_feeds(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "cut", "truncate"]))
        if kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE) | st.binary(max_size=20))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


ODD_URLS = [
    "http://[::1", "http://a.example:99999999/", "http://a.example:-1/", "//x", "http://",
    "javascript:alert(1)", "http://a.example/" + "a" * 3000, "http://ä.example/\x00",
]  # fmt: skip
TEXT = (
    st.text(max_size=200)
    | st.sampled_from([b.decode("latin-1") for b in HOSTILE])
    | st.sampled_from(ODD_URLS)
    | st.text(st.characters(categories=["Cs", "Zs", "Cc"]), max_size=20)  # lone surrogates
)


@st.composite
def built_xml_feeds(draw: st.DrawFn) -> bytes:
    """RSS or Atom around random titles, links, dates and bodies, escaped or not."""
    fields = [draw(TEXT) for _ in range(4)]
    if draw(st.booleans()):
        fields = [escape(field) for field in fields]
    title, link, date, body = fields
    if draw(st.booleans()):
        entry = f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
        document = f"<rss><channel>{entry}<description>{body}</description></item></channel></rss>"
    else:
        entry = f'<entry><title>{title}</title><link href="{link}"/><updated>{date}</updated>'
        content = f'<content type="html">{body}</content>'
        document = f'<feed xmlns="http://www.w3.org/2005/Atom">{entry}{content}</entry></feed>'
    prolog = draw(st.sampled_from([b"", b'<?xml version="1.0"?>', *HOSTILE[:7]]))
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1"]))
    return prolog + document.encode(encoding, errors="replace")


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT, _containers, max_leaves=20
)
ITEM_KEYS = [
    "id", "url", "external_url", "title", "content_html", "content_text", "summary",
    "date_published", "date_modified", "language",
]  # fmt: skip


@st.composite
def json_feeds(draw: st.DrawFn) -> bytes:
    items = draw(
        st.lists(
            st.dictionaries(st.sampled_from(ITEM_KEYS), TEXT | JSON, max_size=8) | JSON,
            max_size=6,
        )
    )
    document = {"version": draw(st.just("https://jsonfeed.org/version/1.1") | JSON), "items": items}
    document.update(draw(st.dictionaries(TEXT, JSON, max_size=3)))
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", errors="surrogatepass")


@FUZZ
@given(mutated_feeds())
def test_mutated_real_feeds(content: bytes) -> None:
    contracts.feed(content)


@FUZZ
@given(built_xml_feeds())
def test_rss_and_atom_around_random_text(content: bytes) -> None:
    contracts.feed(content)


@FUZZ
@given(json_feeds())
def test_json_feeds_of_random_shape(content: bytes) -> None:
    contracts.feed(content)


@FUZZ
@given(st.binary(max_size=2_000) | st.binary(max_size=200).map(lambda b: b"{" + b))
def test_raw_bytes(content: bytes) -> None:
    contracts.feed(content)
