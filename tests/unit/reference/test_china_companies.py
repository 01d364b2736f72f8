"""The company reference file: China and Hong Kong coverage, equivalent listings, lookups."""

from collections import defaultdict
from pathlib import Path

import pytest

from radar_reference import ReferenceData, ReferenceError, load_companies
from radar_schemas import Sector


@pytest.fixture(scope="module")
def data() -> ReferenceData:
    """The watched companies' file alone (the listings directory: test_listings.py)."""
    return load_companies(listings=None)


def test_at_least_80_chinese_and_hong_kong_companies(data: ReferenceData) -> None:
    chinese = [c for c in data.companies if c.country in ("CN", "HK")]
    assert len(chinese) >= 80
    markets = {c.exchange for c in chinese}
    assert {"SSE", "SZSE", "HKEX", "NASDAQ", "NYSE"} <= markets


def test_ids_are_unique(data: ReferenceData) -> None:
    ids = [c.id for c in data.companies]
    assert len(ids) == len(set(ids))


def test_an_alias_names_one_company_only(data: ReferenceData) -> None:
    # the tagger matches names case-insensitively, so "POP MART" and "Pop Mart" are one name
    owners: dict[str, set[str]] = defaultdict(set)
    for company in data.companies:
        for alias in company.aliases:
            owners[alias.casefold()].add(company.id)
    shared = {alias: ids for alias, ids in owners.items() if len(ids) > 1}
    assert shared == {}


def test_a_ticker_or_listing_belongs_to_one_company_only(data: ReferenceData) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for company in data.companies:
        for ticker in company.tickers:
            owners[ticker.upper()].add(company.id)
    assert {t: ids for t, ids in owners.items() if len(ids) > 1} == {}


def test_listed_companies_use_their_ticker_as_id_with_the_exchange_suffix(
    data: ReferenceData,
) -> None:
    suffixes = {"SSE": ".SS", "SZSE": ".SZ", "HKEX": ".HK"}
    for company in data.companies:
        if company.ticker and company.country in ("CN", "HK"):
            assert company.id == company.ticker
            if company.exchange in suffixes:
                assert company.ticker.endswith(suffixes[company.exchange]), company.id
        if company.ticker is None:
            assert company.id == company.id.lower() and not company.listings, company.id


def test_every_chinese_company_has_a_chinese_name(data: ReferenceData) -> None:
    def chinese(text: str) -> bool:
        return any("\u4e00" <= ch <= "\u9fff" for ch in text)

    missing = [
        c.id
        for c in data.companies
        if c.country in ("CN", "HK") and not any(chinese(a) for a in c.aliases)
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("name", "company_id"),
    [
        ("芒果超媒", "300413.SZ"),
        ("芒果TV", "300413.SZ"),
        ("三七互娱", "002555.SZ"),
        ("雷霆游戏", "603444.SS"),
        ("阅文集团", "0772.HK"),
        ("蓝色光标", "300058.SZ"),
        ("分众传媒", "002027.SZ"),
        ("昆仑万维", "300418.SZ"),
        ("巨人网络", "002558.SZ"),
        ("浙文互联", "600986.SS"),
        ("心动公司", "2400.HK"),
        ("腾讯", "0700.HK"),
        ("腾讯音乐", "TME"),
        ("哔哩哔哩", "BILI"),
        ("网易", "9999.HK"),
        ("爱奇艺", "IQ"),
        ("科大讯飞", "002230.SZ"),
        ("中芯国际", "0981.HK"),
        ("字节跳动", "bytedance"),
        ("抖音", "bytedance"),
        ("月之暗面", "moonshot"),
        ("深度求索", "deepseek"),
        ("智谱", "zhipu"),
        ("华为", "huawei"),
        ("小红书", "xiaohongshu"),
        ("Mango Excellent Media", "300413.SZ"),
        ("g-bits", "603444.SS"),
    ],
)
def test_chinese_and_english_names_resolve_to_the_company(
    data: ReferenceData, name: str, company_id: str
) -> None:
    found = data.lookup(name)
    assert found is not None and found.id == company_id


@pytest.mark.parametrize(
    ("ticker", "company_id"),
    [
        ("300413.SZ", "300413.SZ"),
        ("688981.SS", "0981.HK"),
        ("9988.HK", "BABA"),
        ("9888.HK", "BIDU"),
        ("NTES", "9999.HK"),
        ("9626.HK", "BILI"),
        ("9618.HK", "JD"),
        ("tcehy", "0700.HK"),
        ("1698.HK", "TME"),
        ("9698.HK", "GDS"),
        ("0763.HK", "000063.SZ"),
    ],
)
def test_every_listing_of_a_company_finds_the_one_entity(
    data: ReferenceData, ticker: str, company_id: str
) -> None:
    assert data.by_ticker[ticker.upper()].id == company_id
    found = data.lookup(ticker)
    assert found is not None and found.id == company_id


def test_ordinary_words_among_chinese_names_are_ambiguous(data: ReferenceData) -> None:
    for company_id, word in [
        ("1810.HK", "小米"),
        ("0992.HK", "联想"),
        ("1024.HK", "快手"),
        ("002624.SZ", "完美世界"),
        ("603444.SS", "吉比特"),  # also the Chinese word for gigabit
    ]:
        assert word in data.by_id[company_id].ambiguous


def test_sectors_of_the_seed_article_sectors(data: ReferenceData) -> None:
    assert data.by_id["300413.SZ"].sectors[0] == Sector.FILM_TV
    assert data.by_id["002555.SZ"].sectors[0] == Sector.GAMING
    assert data.by_id["300058.SZ"].sectors[0] == Sector.MARKETING
    assert data.by_id["0772.HK"].sectors[0] == Sector.IP_MEDIA
    assert data.by_id["688256.SS"].sectors[0] == Sector.AI_INFRA


def test_listings_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "companies.yaml"
    path.write_text(
        "companies:\n"
        "  - {id: A.HK, name: A, aliases: [A], ticker: A.HK, listings: [B.SS]}\n"
        "  - {id: C.HK, name: C, aliases: [C], ticker: C.HK, listings: [B.SS]}\n"
    )
    with pytest.raises(ReferenceError, match="more than one company"):
        load_companies(path)
    path.write_text(
        "companies:\n  - {id: A.HK, name: A, aliases: [A], ticker: A.HK, listings: [A.HK]}\n"
    )
    with pytest.raises(ReferenceError, match="primary ticker"):
        load_companies(path)
    path.write_text(
        "companies:\n  - {id: A.HK, name: A, aliases: [A], ticker: A.HK, listings: ['9988 HK']}\n"
    )
    with pytest.raises(ReferenceError, match=r"companies\.0\.listings\.0"):
        load_companies(path)


def test_listings_default_to_none(tmp_path: Path) -> None:
    path = tmp_path / "companies.yaml"
    path.write_text("companies:\n  - {id: X, name: X, aliases: [X], ticker: X}\n")
    company = load_companies(path).by_id["X"]
    assert company.listings == ()
    assert company.tickers == ("X",)
