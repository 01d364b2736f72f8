"""Titles, links and dates extracted from real feeds, broken ones included."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar_news.domain.feeds import FeedConfig
from radar_news.domain.parse import parse_document

NOW = datetime(2026, 11, 26, tzinfo=UTC)
FEEDS = Path(__file__).parents[2] / "fixtures" / "feeds"

# file: (items, first title, first canonical link, first published (None: estimated))
EXPECTED = {
    "feed-rs__atom_relative.xml": (
        1,
        "Atom-Powered Robots Run Amok",
        "https://example.com/blog/2003/12/13/atom03",  # relative, resolved via rel="self"
        "2003-12-13T18:30:02+00:00",
    ),
    "feed-rs__atom_xml_base.xml": (
        1,
        "my cool entry title",
        "https://numi.st/post/2022/travel-uke",
        "2022-04-21T00:00:00+00:00",
    ),
    "feed-rs__jsonfeed_elastic_1.1.json": (
        3,
        "InfluxDB vs. Graphite for Time Series Data & Metrics Benchmark",
        "https://www.influxdata.com/blog/influxdb-outperforms-graphite-in-time-series-data-metrics-benchmark",
        "2019-05-31T19:17:58+00:00",  # an RFC 822 date where the spec wants RFC 3339
    ),
    "feed-rs__jsonfeed_spec_1.json": (
        1,
        "Announcing JSON Feed",
        "https://jsonfeed.org/2017/05/17/announcing_json_feed",
        "2017-05-17T15:02:12+00:00",
    ),
    "feed-rs__rss_2.0_encoding_1.xml": (
        1,
        "Revolução nas telas com pontos quânticos impressos em 3D",
        "https://www.inovacaotecnologica.com.br/noticias/noticia.php"
        "?artigo=revolucao-telas-pontos-quanticos-impressos-3d&id=010150200813",
        "2020-08-13T09:57:55+00:00",
    ),
    "feed-rs__rss_2.0_relurl_1.xml": (
        2,
        "Pareto-optimal compression",
        "https://insanity.industries/post/pareto-optimal-compression/",
        "2021-03-02T22:39:15+00:00",
    ),
    "feedparser__docs_examples_base.xml": (
        1,
        "First entry title",
        "http://example.org/archives/000001.html",
        "2004-04-20T00:23:47+00:00",
    ),
    "feedparser__illformed_chardet_shiftjis.xml": (
        1,
        "DrecomRSSに記事投稿が反映されない…",  # undeclared Shift-JIS, detected
        None,
        None,
    ),
    "feedparser__illformed_rss_item_link_corrupted_ampersands.xml": (
        1,
        "",
        "http://link/get?a=1&b=2",
        None,
    ),
    "feedparser__json_example.json": (2, "post 2", "https://example.org/second-item", None),
    "rss-parser__content-encoded.rss": (
        7,
        "THE CREATIVE FORAGER",
        "https://medium.com/invironment/the-creative-forager-125af37d838f",  # ?source= dropped
        "2018-04-09T18:55:38+00:00",
    ),
    "rss-parser__encoding.rss": (
        40,
        "Mãe de utente é a nova presidente da Raríssimas",
        "http://feeds.jn.pt/~r/JN-ULTIMAS/~3/UBnb8Ra3Q1U/"
        "sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html",
        "2018-01-03T13:47:00+00:00",
    ),
    "rss-parser__heise.atom": (
        15,
        "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei",
        "http://www.heise.de/developer/meldung/"
        "Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html",  # wt_mc= dropped
        "2016-02-01T16:22:00+00:00",
    ),
    "rss-parser__craigslist.rss": (
        25,
        "Bright, Spacious Beautiful Victorian (oakland north / temescal) $4300 3bd 1930ft2",
        "http://sfbay.craigslist.org/eby/apa/6186664607.html",
        "2017-06-21T17:33:10+00:00",
    ),
}


def parse(name: str) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    path = FEEDS / name
    result = parse_document(path.read_bytes(), FeedConfig(name="f", url=str(path)), NOW)
    return result.items, result.problems


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_titles_links_and_dates_of_real_feeds(name: str) -> None:
    count, title, link, published = EXPECTED[name]
    items, _ = parse(name)
    assert len(items) == count
    first = items[0]
    assert (first.title, first.url) == (title, link)
    if published is None:
        assert first.published_at == NOW and first.published_estimated
    else:
        assert first.published_at.isoformat() == published and not first.published_estimated


@pytest.mark.parametrize(
    "name",
    [
        "feedparser__illformed_chardet_big5.xml",  # no entries at all, undeclared Big5
        "feedparser__illformed_rss_incomplete_cdata.xml",  # truncated inside a CDATA title
        "feedparser__illformed_undeclared_namespace.xml",
    ],
)
def test_broken_feeds_report_problems_and_yield_no_invented_items(name: str) -> None:
    items, problems = parse(name)
    assert items == []
    assert problems


def test_broken_encodings_are_reported_as_problems() -> None:
    for name in (
        "feedparser__illformed_chardet_shiftjis.xml",
        "feedparser__illformed_chardet_big5.xml",
    ):
        _, problems = parse(name)
        # Sniffed and read (see test_encodings.py), and the guess reported.
        assert any(p.startswith("encoding not declared and not UTF-8") for p in problems)


def test_json_feed_html_is_stripped_and_language_kept() -> None:
    items, problems = parse("feedparser__json_example.json")
    assert problems == []
    assert items[1].text == "Hello, world!"  # <script> dropped
    elastic, _ = parse("feed-rs__jsonfeed_elastic_1.1.json")
    assert elastic[0].language == "en-US"
