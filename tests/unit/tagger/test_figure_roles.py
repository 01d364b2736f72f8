"""What a figure is to the story: a result or the analysts' estimate it is set against, a
loss, a share price's move and its cause, the part of a whole an action takes; and the
broker that rates a stock, beside the stock it rates."""

import pytest

from radar_reference import load_companies
from radar_tagger.domain.quantities import quantities
from radar_tagger.domain.tagger import Tagger
from radar_tagger.domain.taxonomy import load_taxonomy


def read(text: str) -> list[tuple[str, float, str | None, bool, bool]]:
    return [(q.kind, q.value, q.period, q.guidance, q.estimate) for q in quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Nvidia reported third-quarter revenue of $35.1 billion, above the $33.1 billion "
            "analysts expected.",
            [(False, False), (True, True)],
        ),
        ("Q3 revenue $35.1 billion vs $33.1 billion expected", [(False, False), (True, True)]),
        (
            "Azure AI revenue grew 33% in the quarter, beating analyst estimates of 29%.",
            [(False, False), (True, True)],
        ),
        ("EPS of $1.32 beat the consensus estimate of $1.10.", [(False, False), (True, True)]),
        ("Analysts polled by LSEG expected revenue of $5.2 billion.", [(True, True)]),
        ("公司一季度营收3.5亿元，高于市场预期的3.2亿元。", [(False, False), (True, True)]),
        # the company's own forecast is guidance, not an estimate
        ("The company expects revenue of $5 billion in 2025.", [(True, False)]),
        ("Revenue of $10 billion is expected by the company.", [(False, False)]),
        ("Revenue topped the $94.5 billion consensus", [(True, True)]),
        ("Sales of $12B were ahead of the expected $11.2B", [(False, False), (True, True)]),
        (
            "Revenue was $5.2 billion, above the $5.0 billion expected by analysts",
            [(False, False), (True, True)],
        ),
        # what the company, a newspaper or management says is no analysts' estimate, and the
        # result that topped estimates is the result
        ("The CFO told analysts the company expects revenue of $5 billion.", [(True, False)]),
        ("The Wall Street Journal said Nvidia expects revenue of $5 billion", [(True, False)]),
        ("Microsoft estimates $80 billion in AI capex", [(True, False)]),
        ("市场规模预测为1000亿元", [(True, False)]),
        ("Adjusted earnings topped estimates at $1.32 per share", [(False, False)]),
    ],
)
def test_analysts_estimates_are_told_from_results_and_from_guidance(
    text: str, expected: list[tuple[bool, bool]]
) -> None:
    assert [(guidance, estimate) for *_, guidance, estimate in read(text)] == expected


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("OpenAI expects to lose $5 billion on $3.7 billion revenue in 2024.", "profit", -5e9),
        ("OpenAI lost $5 billion last year.", "profit", -5e9),
        ("Nvidia lost $500 billion in market value on Monday.", "amount", -5e11),
        ("Nvidia lost $300 billion in stock market value", "amount", -3e11),
        ("Tesla's market value lost $150 billion", "amount", -1.5e11),
        ("Investors lost $5 billion in the collapse", "amount", -5e9),
        # a loss of something else later in the clause leaves a profit a profit
        ("Intel reported net income of $1 billion after it lost a key customer", "profit", 1e9),
        ("Intel posted net income of $1 billion despite losing share", "profit", 1e9),
    ],
)
def test_losing_money_is_a_loss_and_losing_market_value_is_no_loss_of_the_business(
    text: str, kind: str, value: float
) -> None:
    assert read(text)[0][:2] == (kind, value)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("AMD shares fell 10% after the company guided fourth-quarter revenue lower.", "day"),
        ("Shares fell 3% as the company cut its full-year forecast.", "day"),
        ("Shares rose 5% in the quarter.", "quarter"),
        ("The stock is up 40% this year after strong results.", "year"),
        ("Shares fell 20% in the week after the company cut its annual forecast.", "week"),
        ("Shares have dropped 12% amid concerns about AI spending over the past month.", "month"),
    ],
)
def test_a_share_moves_period_is_not_read_from_its_cause(text: str, period: str) -> None:
    assert read(text)[0][2] == period


# Real sentences: zh-0024 and x6-0198 of tests/fixtures/eval/train.jsonl, x6-0164 abridged.
@pytest.mark.parametrize(
    ("text", "periods"),
    [
        # one session's 8%, then half the price again over three months, its span left implicit
        (
            "阿里股價在財報釋出後起飛,當天收盤大漲8%,較三個月前的財報日股價,上漲超50%。",
            ["day", None],
        ),
        # a market report's moves, named by session words and not by a share word
        (
            "周一LG CNS单日最大涨幅达29%，LG Corp.上涨26%，LG Innotek涨23%",
            ["day", "day", "day"],
        ),
        (
            "债市：国债期货全线反弹，截至收盘，30年期主力合约涨0.20%，10年期主力合约涨0.09%",
            ["day", "day"],
        ),
    ],
)
def test_a_market_reports_moves_are_one_sessions_unless_too_large_for_one(
    text: str, periods: list[str | None]
) -> None:
    assert [q.period for q in quantities(text)] == periods


# Real sentences of tests/fixtures/eval/train.jsonl (x6-0178, zh-0005, x6-0183), abridged.
HYPERSCALERS = (
    "四大超大规模云服务商今年合计资本支出计划高达7250亿美元，较去年创纪录的4100亿美元猛增77%。"
)


@pytest.mark.parametrize(
    ("text", "figure", "period"),
    [
        # a change against last year is a year's; the plan "this year" is too
        (HYPERSCALERS, "77%", "year"),
        (HYPERSCALERS, "7250亿美元", "year"),
        # a margin in a quarter's report is the quarter's
        (
            "快手发布 2025 年一季度财报,总收入同比增长 10.9% 至 326 亿元,毛利率攀升至 55.0%。",
            "55.0%",
            "quarter",
        ),
        # a year within a date ("2030年10月前") is no span
        ("OpenAI承诺在2030年10月前最多购买119亿美元的云服务。", "119亿美元", None),
        # a year's capital spending told in a report of a quarter
        (
            "Revenue rose 18% in the fiscal third quarter. The company plans capex of $80 billion.",
            "$80 billion",
            None,
        ),
        # words near a figure that do not give its span: a business segment (板块), contract
        # liabilities (合约负债), a futures price, a property launch (开盘), "in the
        # afternoon" (午后), a session that is not a market's
        ("该集团医药板块营业收入为120亿元，增长8%。", "8%", "year"),
        ("公司合约负债增长20%，显示订单充足。", "20%", None),
        ("受期货价格影响，公司原材料成本上升15%。", "15%", None),
        ("新盘开盘均价较周边二手房上涨10%。", "10%", None),
        ("午后，公司公布的数据显示，用户数增长15%。", "15%", None),
        ("The company held a training session and said productivity improved 15%.", "15%", None),
        # the market's words are of the sentence before
        ("截至收盘，主力合约微涨0.2%。统计局公布，社会消费品零售总额增长3%。", "3%", None),
        # a large move on a day the text names is that day's
        ("Acme shares plunged 70% on the day after the FDA rejected its drug.", "70%", "day"),
        ("Acme shares soared 75% in a single session after the buyout news.", "75%", "day"),
        # a month or a peak of last year is no year-on-year comparison
        ("销量较去年12月增长15%。", "15%", None),
        ("股价较去年高点下跌40%。", "40%", None),
        # this year named after the quarter does not take the quarter's place
        (
            "In the third quarter, the company, which went public this year, posted revenue"
            " of $2 billion.",
            "$2 billion",
            "quarter",
        ),
        ("第三季度，受今年关税影响，公司毛利率降至20%。", "20%", "quarter"),
        # a stake is no margin, and a date's year no span
        (
            "In the third quarter, gross margin improved, and Nvidia now owns a 7% stake in Arm.",
            "7%",
            None,
        ),
        ("截至2025年6月30日，公司市场份额为25%。", "25%", None),
        ("公司计划在2030年10月前将资本支出提高至500亿元。", "500亿元", None),
    ],
)
def test_the_span_a_figure_covers(text: str, figure: str, period: str | None) -> None:
    (found,) = [q for q in quantities(text) if text[q.start : q.end] == figure]
    assert found.period == period


def test_the_part_of_a_whole_an_action_takes_is_what_changed() -> None:
    (cut,) = quantities("Intel said it will cut 15% of its workforce as its AI chip push falters.")
    assert (cut.kind, cut.value, cut.about) == ("growth", -15.0, "workforce")


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(), load_companies())


@pytest.mark.parametrize(
    ("title", "text", "rated", "rater"),
    [
        (
            "Morgan Stanley downgrades Adobe to underweight on AI competition",
            "Morgan Stanley downgraded Adobe to underweight, saying generative AI rivals "
            "threaten its creative software business.",
            "ADBE",
            "MS",
        ),
        (
            "Goldman Sachs raises Nvidia price target on AI demand",
            "Goldman Sachs raised their price target on Nvidia to $200 from $180, citing "
            "strong AI chip demand.",
            "NVDA",
            "GS",
        ),
    ],
)
def test_the_broker_that_rates_stays_an_entity_but_off_the_cards(
    tagger: Tagger, title: str, text: str, rated: str, rater: str
) -> None:
    relevance = {e.entity_id: e.relevance for e in tagger.tag(title, text).entities}
    assert relevance[rated] >= 0.8
    assert relevance[rater] < 0.3  # a card shows companies from 0.3


def test_a_bank_that_is_the_story_keeps_its_relevance(tagger: Tagger) -> None:
    """A bank named outside any rating sentence is what the story is about."""
    result = tagger.tag(
        "JPMorgan restricts ChatGPT use for its 250,000 staff",
        "JPMorgan Chase has restricted staff use of ChatGPT over data privacy concerns. "
        "Morgan Stanley rates OpenAI's partner Microsoft overweight.",
    )
    relevance = {e.entity_id: e.relevance for e in result.entities}
    assert relevance["JPM"] >= 0.5
    assert relevance["MS"] < 0.3


@pytest.mark.parametrize(
    ("title", "rated"),
    [
        ("Mizuho downgrades Qualcomm to neutral as Apple moves to its own modem", "QCOM"),
        ("Morgan Stanley upgrades Marvell and Nvidia to overweight", "MRVL"),
        ("Analysts raised their price target on Dell after its partnership with Nvidia", "DELL"),
    ],
)
def test_the_company_rated_keeps_its_relevance_watched_or_not(
    tagger: Tagger, title: str, rated: str
) -> None:
    relevance = {e.entity_id: e.relevance for e in tagger.tag(title, "").entities}
    assert relevance[rated] >= 0.5


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Nvidia shares settled 3% down on the day", -3.0),
        ("Nvidia shares closed 3% lower", -3.0),
        ("Nvidia shares ended 3% higher", 3.0),
        ("Buyers put 20% down payment on the chips", 20.0),  # a payment, no fall
    ],
)
def test_a_word_of_direction_after_the_figure_gives_its_sign(text: str, value: float) -> None:
    assert quantities(text)[0].value == value
