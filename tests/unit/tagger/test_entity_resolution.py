"""Entities on real items of the training part (tests/fixtures/eval/train.jsonl, by id):
brokers that rate, names in traditional Chinese, products that identify a company,
common-word names in company context, and names that are not the company (a cited source,
"ChatGPT-style", a WeChat account). Asserted on the rules' mentions, which do not depend on
the learned model."""

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from radar_reference import load_companies
from radar_tagger.domain.tagger import Tagger
from radar_tagger.domain.taxonomy import load_taxonomy

TRAIN = Path(__file__).parents[2] / "fixtures" / "eval" / "train.jsonl"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(), load_companies())


@cache
def _items() -> dict[str, dict[str, Any]]:
    rows = (json.loads(line) for line in TRAIN.read_text(encoding="utf-8").splitlines())
    return {row["id"]: row for row in rows}


def named(tagger: Tagger, item_id: str) -> set[str]:
    """The companies the rules find in one training item."""
    row = _items()[item_id]
    return set(tagger.read(row.get("title") or "", row.get("text") or "").mentions)


@pytest.mark.parametrize(
    ("item_id", "companies"),
    [
        ("en-0489", {"AI", "MS"}),  # "C3.ai (NYSE:AI) Price Target Lowered ... at Morgan Stanley"
        ("mo-0033", {"ADBE", "OPY"}),  # "after Oppenheimer slashed its rating"
        ("mo-0052", {"8601.T", "BABA"}),  # "大和:维持阿里巴巴(9988.HK)买入评级"
        ("mo-0053", {"UBSG.SW", "JD"}),  # "瑞銀:上調部分中國互聯網股目標價 行業首選京東"
        ("zh-0077", {"BAC", "601688.SS", "3988.HK", "TSLA"}),  # 美银, 华泰证券, 中银国际
    ],
)
def test_brokers_that_rate_are_entities(tagger: Tagger, item_id: str, companies: set[str]) -> None:
    assert companies <= named(tagger, item_id)


@pytest.mark.parametrize(
    ("item_id", "company"),
    [
        ("zh-0020", "0700.HK"),  # 騰訊(00700)
        ("zh-0057", "688256.SS"),  # 寒武紀迎來了高光時刻 (an ambiguous name, in context)
        ("zh-0048", "0020.HK"),  # 商湯經調整虧損收窄
        ("zh-0062", "NVDA"),  # 英偉達H200
        ("zh-0041", "300418.SZ"),  # 崑崙萬維
    ],
)
def test_names_in_traditional_chinese_match(tagger: Tagger, item_id: str, company: str) -> None:
    assert company in named(tagger, item_id)


@pytest.mark.parametrize(
    ("item_id", "company"),
    [
        ("en-0265", "MSFT"),  # "Bing AI chat messages are being hijacked"
        ("en-0293", "GOOGL"),  # "chatbots such as ChatGPT and Bard"
        ("en-0065", "AAPL"),  # "Runway's iOS app"
        ("en-0606", "HAS"),  # "Wizards of the Coast publicly ban the use of AI tools"
        ("en-0063", "PARA"),  # "the CBS anchor Gayle King"
    ],
)
def test_products_that_identify_a_company_name_it(
    tagger: Tagger, item_id: str, company: str
) -> None:
    assert company in named(tagger, item_id)


@pytest.mark.parametrize(
    ("item_id", "company"),
    [
        ("en-0260", "SNAP"),  # "Snap plunges on first-quarter revenue miss"
        ("en-0381", "META"),  # "Meta rolls out AI ad-targeting tech"
        ("en-0121", "ORCL"),  # "Oracle comes up short on revenue"
        ("en-0506", "EA"),  # "EA partners with Stability AI"
        ("en-0183", "cursor"),  # "leans on Cursor and GitHub Copilot"
        ("en-0579", "WDAY"),  # "including Nvidia & Workday."
        # capitalised after a lower-case word
        ("x4-0015", "AAPL"),  # "Meta joins Apple in withholding AI models"
        ("x2-0213", "perplexity"),  # "CNN sues Perplexity over ‘verbatim’ copycat articles"
        ("x3-0340", "AAPL"),  # "… transformation, but Apple still casts a large shadow."
        # before a company's verb in a headline, or "app"
        ("x3-0004", "AAPL"),  # "Apple Warns Employees to Stay Away From ChatGPT"
        ("x3-0333", "GOOGL"),  # "Gemini app finally expands to audio files"
    ],
)
def test_common_word_names_count_in_company_context(
    tagger: Tagger, item_id: str, company: str
) -> None:
    assert company in named(tagger, item_id)


@pytest.mark.parametrize(
    ("item_id", "company"),
    [
        ("x2-0507", "META"),  # "三星传获Meta超10万亿韩元AI芯片代工订单", "Meta打算出售富余算力"
        ("x3-0461", "META"),  # "特朗普政府施压Meta，要求其提交AI模型接受"
        ("x3-0504", "META"),  # "Alphabet、Meta、微软和亚马逊": between Chinese commas
    ],
)
def test_a_common_word_name_written_against_chinese_is_the_company(
    tagger: Tagger, item_id: str, company: str
) -> None:
    assert company in named(tagger, item_id)


def test_a_chinese_common_word_name_before_a_period_or_rating_is_the_company(
    tagger: Tagger,
) -> None:
    # "寒武纪 一季度营收同比增约16倍": 寒武纪 (the Cambrian) is Cambricon before its quarter
    assert "688256.SS" in named(tagger, "x6-0157")
    # ... and before its AI business: 寒武纪AI芯片收入, not the era "AI正处于它的寒武纪"
    assert "688256.SS" in tagger.read("", "寒武纪AI芯片收入增长，股价下跌8%").mentions


def test_a_capitalised_common_word_opening_a_longer_name_or_a_compound_is_not() -> None:
    """The capital there belongs to a place or a compound."""
    tagger = Tagger(load_taxonomy(), load_companies())
    for text in (
        "Tankers avoided the Red Sea and the South China Sea route this week.",
        "Shipping resumed through the Sea of Japan after the storm.",
        "Talen will sell power from its Susquehanna nuclear plant to Amazon.",
        "A new meta-analysis found the effect, and the Meta-analysis team agreed.",
        # the end of a longer name, or a film's, a place's or a test's verb
        "As Sea Levels Rise, Coastal Insurers Rethink Their Flood Models",
        "When Oppenheimer Premiered Across Cinemas, Audiences Queued For Hours.",
        "North Sea workers strike over pay",
        "Times Square opens AI-powered billboard",
        "After Oppenheimer won Best Picture, AI films rose",
        "Oppenheimer made $975 million at the box office",
        # Chinese words that are names elsewhere, beside a full-width comma or 和
        "黄仁勋：AI正处于它的寒武纪，英伟达将持续受益",
        "美团：苹果，车厘子等水果销量大增",
        "小米和大米价格上涨，美团称",
    ):
        found = set(tagger.read("", text).mentions)
        assert not {"SE", "META", "OPY", "XYZ", "688256.SS", "AAPL", "1810.HK"} & found, text


@pytest.mark.parametrize(
    ("item_id", "companies"),
    [
        ("x2-0477", {"000660.KS", "MU"}),  # "引发SK海力士和美光等其他存储原厂跟进"
        ("x3-0481", {"MU", "SNDK", "688825.SS"}),  # "美光科技 、 闪迪 股价在盘前拉升", 长鑫科技
        ("zh-0128", {"688825.SS"}),  # "长鑫科技（688825）今日即将挂牌"
    ],
)
def test_memory_makers_are_named_in_chinese(
    tagger: Tagger, item_id: str, companies: set[str]
) -> None:
    assert companies <= named(tagger, item_id)


@pytest.mark.parametrize(
    ("item_id", "not_named"),
    [
        ("en-0103", "openai"),  # "a $500 billion ChatGPT-style breakthrough"
        ("en-0149", "openai"),  # "ChatGPT-style bots"
        ("en-0224", "NYT"),  # "reports The New York Times", "says the NYT"
        ("zh-0065", "0700.HK"),  # "本文来自微信公众号": the repost's source
        ("en-0152", "UBSG.SW"),  # "a new study by analytics firm UBS (via Reuters and CBS)"
        ("en-0152", "PARA"),
        ("x3-0314", "GETY"),  # a photo's credit: "(Brook Mitchell/Getty Images)"
        ("x3-0294", "GETY"),  # "… earlier export controls. © Getty Images"
    ],
)
def test_names_that_are_not_the_company_are_not_entities(
    tagger: Tagger, item_id: str, not_named: str
) -> None:
    assert not_named not in named(tagger, item_id)


def test_a_name_after_says_is_the_company_not_a_cited_source(tagger: Tagger) -> None:
    # tests/fixtures/sentiment/twitter_financial_news_train.jsonl
    title = "Elon Musk says Tesla has 187,000 orders for its Cybertruck"
    assert "TSLA" in tagger.read(title, "").mentions


@pytest.mark.parametrize("item_id", ["en-0380", "bg-0253"])
def test_a_broker_rating_a_company_outside_the_universe_is_no_signal(
    tagger: Tagger, item_id: str
) -> None:
    """Labelled background: "Veeco Instruments Started With a Buy Rating at Citi", "...
    downgraded to neutral from outperform at Wedbush". The broker is named, but it is not
    the subject that would make the rating a signal."""
    row = _items()[item_id]
    title, text = row.get("title") or "", row.get("text") or ""
    reading = tagger.read(title, text)
    assert reading.mentions and not reading.subjects
    assert not any(reading.ai_flags)  # a private broker is no AI lab
    assert tagger.tag(title, text).themes == []


def plaintiffs(tagger: Tagger, item_id: str) -> frozenset[str]:
    row = _items()[item_id]
    reading = tagger.read(row.get("title") or "", row.get("text") or "")
    return tagger.entities.plaintiffs(reading.parts, reading.mentions)


@pytest.mark.parametrize(
    ("item_id", "suing"),
    [
        ("x2-0201", {"NYT"}),  # "New York Times sues OpenAI and Microsoft for copyright ..."
        ("en-0290", {"britannica", "merriam-webster"}),  # "... and Merriam-Webster sue Perplexity"
        ("en-0598", {"GETY"}),  # "Getty sues Stability AI for copying 12M photos"
        ("x3-0174", {"xai"}),  # "Elon Musk's xAI sues Apple and OpenAI"
        ("x2-0200", set()),  # "OpenAI And Microsoft Sued By Nonfiction Writers"
        ("x3-0169", set()),  # "OpenAI sued for 'stealing' data from the public"
        ("en-0377", set()),  # "Nvidia sued after video call mistake showed 'stolen' data"
    ],
)
def test_a_company_that_sues_is_told_from_the_one_it_sues(
    tagger: Tagger, item_id: str, suing: set[str]
) -> None:
    assert plaintiffs(tagger, item_id) == suing


def test_a_plaintiff_stays_an_entity_below_a_cards_relevance(tagger: Tagger) -> None:
    row = _items()["x2-0201"]
    relevance = {e.entity_id: e.relevance for e in tagger.tag(row["title"], row["text"]).entities}
    assert relevance["NYT"] < 0.3 <= min(relevance["openai"], relevance["MSFT"])


@pytest.mark.parametrize(
    ("text", "suing"),
    [
        ("Apple Sued Over Siri AI Delay", set()),  # a title-case headline's passive
        ("Nvidia Sued In Texas Over Chip Patents", set()),
        ("Apple, Google sued Thursday in California over AI", set()),
        ("Perplexity, which Dow Jones sues over AI copying, raises $500 million", {"NWSA"}),
        ("苹果和谷歌被用户起诉", set()),  # the passive, and 和 joining the sued
        ("OpenAI与微软遭纽约时报起诉", set()),
        ("微软和英伟达合作，马斯克起诉OpenAI", set()),  # another clause's suit
        ("Getty Images and Shutterstock sued Stability AI.", {"GETY", "SSTK"}),
        (  # the June 2025 replay: NBCUniversal, named only in the body, sues too
            "Disney and NBCUniversal have filed a copyright infringement lawsuit against AI "
            "image generator firm Midjourney",
            {"DIS", "CMCSA"},
        ),
        ("Authors filed lawsuits against OpenAI and Microsoft.", set()),
        (
            "Disney and Universal are the first major Hollywood studios to file copyright "
            "infringement lawsuits against AI companies",
            {"DIS"},  # "Universal" alone names no company of the reference data
        ),
        ("Nvidia was the first to ship the chip, and AMD sued it later.", set()),
        ("OpenAI filed to dismiss the lawsuit, calling it baseless", set()),
        ("Anthropic filed a response to the lawsuit on Monday", set()),
        ("OpenAI was the first to bring reasoning AI models to ChatGPT users", set()),
        ("Nvidia is the first company to file for a license to sell AI chips", set()),
    ],
)
def test_who_sues_whom_in_headlines_and_chinese(tagger: Tagger, text: str, suing: set[str]) -> None:
    reading = tagger.read(text, "")
    assert tagger.entities.plaintiffs(reading.parts, reading.mentions) == suing


def test_a_long_chinese_list_after_a_name_is_read_in_linear_time(tagger: Tagger) -> None:
    # a list pattern that let each item hold a separator backtracked exponentially on these
    # (seconds to minutes a document); the answer, that no one sues, is what is asserted
    for text in ("英伟达" + "和" * 40 + "合作", "英伟达" + "、金" * 40 + "上涨"):
        reading = tagger.read("", text)
        assert tagger.entities.plaintiffs(reading.parts, reading.mentions) == frozenset()
