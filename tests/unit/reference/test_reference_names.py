"""Traditional Chinese spellings, other listings of brokers and banks, and which firms the
product watches."""

import pytest

from radar_reference import ReferenceData, load_companies
from radar_reference.hanzi import DEFAULT_TABLE, traditional_spellings


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
        ("目标价", "目標價"),  # a cue of the taxonomy as Hong Kong news writes it
        ("评级下调", "評級下調"),
    ],
)
def test_traditional_spelling(simplified: str, spelled: str) -> None:
    assert traditional_spellings(simplified)[0] == spelled


def test_a_text_with_nothing_to_change_has_no_other_spelling() -> None:
    assert traditional_spellings("快手") == ()
    assert traditional_spellings("Tencent") == ()


def test_hong_kong_and_taiwan_forms_are_kept_where_they_differ() -> None:
    # 里 is 裏 in standard traditional and Hong Kong text, 裡 in Taiwan's
    assert set(traditional_spellings("这里")) == {"這裏", "這裡"}


def test_the_table_holds_one_simplified_character_and_its_three_forms_a_line() -> None:
    rows = [
        line.split("\t")
        for line in DEFAULT_TABLE.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    assert len(rows) > 2500  # OpenCC changes some 2,800 characters alone
    assert all(len(row) == 4 and all(len(c) == 1 for c in row) for row in rows)
    assert len({row[0] for row in rows}) == len(rows)


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
