"""Traditional Chinese spellings, other listings of brokers and banks, and which firms the
product watches."""

import pytest

from radar_reference import ReferenceData, load_companies
from radar_reference.hanzi import traditional


@pytest.fixture(scope="module")
def data() -> ReferenceData:
    return load_companies()


@pytest.mark.parametrize(
    ("simplified", "spelled"),
    [
        ("腾讯控股", "騰訊控股"),
        ("寒武纪", "寒武紀"),
        ("商汤科技", "商湯科技"),
        ("昆仑万维", "崑崙萬維"),  # word-level: 昆仑 is 崑崙, not 昆侖
        ("字节跳动", "字節跳動"),
        ("华泰证券", "華泰證券"),
        ("快手", "快手"),  # nothing to change
        ("Tencent", "Tencent"),
    ],
)
def test_traditional_spelling(simplified: str, spelled: str) -> None:
    assert traditional(simplified) == spelled


@pytest.mark.parametrize(
    ("name", "company_id"),
    [
        ("騰訊", "0700.HK"),
        ("寒武紀", "688256.SS"),
        ("英偉達", "NVDA"),
        ("瑞銀", "UBSG.SW"),
        ("智譜", "zhipu"),
        ("高盛", "GS"),
        ("大摩", "MS"),
        ("Bank of America", "BAC"),
    ],
)
def test_names_in_either_script_find_the_company(
    data: ReferenceData, name: str, company_id: str
) -> None:
    found = data.lookup(name)
    assert found is not None and found.id == company_id


def test_an_ambiguous_name_stays_ambiguous_in_traditional_script(data: ReferenceData) -> None:
    cambricon = data.by_id["688256.SS"]
    assert "寒武紀" in cambricon.ambiguous_spellings
    assert "寒武紀" in cambricon.spellings and "寒武紀" not in cambricon.aliases


@pytest.mark.parametrize(
    ("ticker", "company_id"),
    [("UBS", "UBSG.SW"), ("0005.HK", "HSBA.L"), ("NMR", "8604.T"), ("6886.HK", "601688.SS")],
)
def test_other_listings_of_banks_and_brokers_are_one_entity(
    data: ReferenceData, ticker: str, company_id: str
) -> None:
    assert data.by_ticker[ticker].id == company_id


def test_brokers_are_named_but_not_watched(data: ReferenceData) -> None:
    for broker in ("GS", "MS", "JPM", "UBSG.SW", "8601.T", "601688.SS", "wedbush"):
        assert not data.by_id[broker].watched, broker
    for company in ("NVDA", "0700.HK", "XYZ", "openai", "AI"):
        assert data.by_id[company].watched, company
