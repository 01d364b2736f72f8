"""The A-share listings directory: every listed company named, ordinary words left out, the
watched companies' file first."""

import csv
import io
from collections import defaultdict
from pathlib import Path

import pytest

from radar_reference import (
    DEFAULT_LISTINGS_FILE,
    ListingsError,
    ReferenceData,
    ReferenceError,
    load_companies,
)
from radar_reference.build_listings import build_rows, main
from radar_reference.listings import load_listings, short_name, suffixed


@pytest.fixture(scope="module")
def data() -> ReferenceData:
    return load_companies()


def test_the_shipped_directory_names_every_exchange(data: ReferenceData) -> None:
    rows = load_listings(DEFAULT_LISTINGS_FILE)
    assert len(rows) > 5000
    assert {r.exchange for r in rows} == {"SSE", "SZSE", "BSE"}
    # a listing of 2025-12 and one of 2023, neither in the watched companies' file
    assert data.lookup("摩尔线程").id == "688795.SS"
    assert data.lookup("宁德时代").id == "300750.SZ"
    assert data.lookup("中国建筑股份有限公司").id == "601668.SS"


def test_a_listing_is_an_entity_only(data: ReferenceData) -> None:
    listed = data.by_id["300750.SZ"]
    assert (listed.watched, listed.ai_lab, listed.sectors) == (False, False, ())


def test_the_watched_file_keeps_its_companies(data: ReferenceData) -> None:
    curated = load_companies(listings=None)
    assert curated.lookup("宁德时代") is None
    for company in curated.companies:
        assert data.by_id[company.id] == company  # sectors, aliases, flags untouched
    assert data.by_ticker["300413.SZ"].sectors == curated.by_ticker["300413.SZ"].sectors


def test_an_alias_names_one_company_only(data: ReferenceData) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for company in data.companies:
        for alias in company.aliases:
            owners[alias.casefold()].add(company.id)
    assert {a: ids for a, ids in owners.items() if len(ids) > 1} == {}


def test_a_short_name_that_is_an_ordinary_word_is_not_matched_alone(data: ReferenceData) -> None:
    robot = data.by_id["300024.SZ"]  # 机器人 (Siasun Robot): "robot"
    assert robot.aliases == ("沈阳新松机器人自动化股份有限公司",)
    assert data.by_id["000591.SZ"].aliases == ("中节能太阳能股份有限公司",)  # 太阳能: "solar"


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("*ST国华", "国华"),
        ("ST晨鸣", "晨鸣"),
        ("寒武纪-U", "寒武纪"),
        ("N中国铀", "中国铀"),
        ("C世盟", "世盟"),
        ("TCL科技", "TCL科技"),
        ("京东方A", "京东方A"),
    ],
)
def test_status_marks_are_not_part_of_the_name(name: str, short: str) -> None:
    assert short_name(name) == short


@pytest.mark.parametrize(
    ("code", "ticker"),
    [
        ("688256", "688256.SS"),
        ("600519", "600519.SS"),
        ("300413", "300413.SZ"),
        ("000001", "000001.SZ"),
        ("920982", "920982.BJ"),
        ("830799", "830799.BJ"),
    ],
)
def test_codes_get_their_exchange(code: str, ticker: str) -> None:
    assert suffixed(code) == ticker


@pytest.mark.parametrize("code", ["68825", "0700", "700256", "A00001", "900901", "200002"])
def test_a_code_no_exchange_has_is_refused(code: str) -> None:
    with pytest.raises(ListingsError, match=code):
        suffixed(code)


def test_building_marks_ordinary_words_from_the_word_list() -> None:
    table = [
        {"code": "300024", "name": "机器人", "full_name": "沈阳新松机器人自动化股份有限公司"},
        {"code": "002555", "name": "三七互娱", "full_name": "芜湖三七互娱网络科技集团股份有限公司"},
        {"code": "000004", "name": "*ST国华", "full_name": ""},
        {"code": "601939", "name": "建设银行", "full_name": "中国建设银行股份有限公司"},
    ]
    words = {"机器人": "n", "建设银行": "nt"}  # jieba: a noun; an organisation
    rows = list(build_rows(table, words))
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("300024.SZ", "机器人", "1"),  # an ordinary noun
        ("002555.SZ", "三七互娱", "0"),  # not a word at all
        ("000004.SZ", "国华", "1"),  # two characters
        ("601939.SS", "建设银行", "0"),  # an organisation's name
    ]


def test_building_refuses_a_code_listed_twice() -> None:
    table = [{"code": "300024", "name": "机器人"}, {"code": "300024", "name": "机器人"}]
    with pytest.raises(ListingsError, match=r"300024\.SZ listed twice"):
        list(build_rows(table, {}))


def test_the_built_file_loads_with_its_header(tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_text("code,name,full_name\n300750,宁德时代,宁德时代新能源科技股份有限公司\n")
    words = tmp_path / "dict.txt"
    words.write_text("宁德 3 ns\n")
    header = tmp_path / "header.txt"
    header.write_text("where it came from\nand its licence\n")
    out = tmp_path / "listings.csv"
    main([str(table), "--words", str(words), "--header", str(header), "--out", str(out)])
    assert out.read_text().startswith("# where it came from\n# and its licence\nticker,")
    [record] = load_listings(out)
    assert (record.id, record.name, record.exchange) == ("300750.SZ", "宁德时代", "SZSE")
    assert record.aliases == ("宁德时代新能源科技股份有限公司", "宁德时代")


def test_a_malformed_row_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "listings.csv"
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerows(
        [["ticker", "name", "full_name", "ordinary"], ["300750.SZ", "宁德时代", "", "0"]]
    )
    writer.writerow(["300750", "宁德时代", "", "0"])  # no exchange suffix
    bad.write_text(rows.getvalue())
    with pytest.raises(ReferenceError, match=r"listings.csv: row 2"):
        load_companies(listings=bad)


def test_a_missing_directory_is_named(tmp_path: Path) -> None:
    with pytest.raises(ReferenceError, match=r"nowhere\.csv"):
        load_companies(listings=tmp_path / "nowhere.csv")


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "listings.csv"
    bad.write_bytes("ticker,name,full_name,ordinary\n300750.SZ,宁德时代,,0\n".encode("gb18030"))
    with pytest.raises(ReferenceError, match=r"listings\.csv: 'utf-8' codec"):
        load_companies(listings=bad)


def test_a_row_without_its_last_fields_reads_them_as_empty(tmp_path: Path) -> None:
    short = tmp_path / "listings.csv"
    short.write_text("ticker,name,full_name,ordinary\n300750.SZ,宁德时代\n", encoding="utf-8")
    [record] = load_listings(short)
    assert (record.id, record.aliases) == ("300750.SZ", ("宁德时代",))
