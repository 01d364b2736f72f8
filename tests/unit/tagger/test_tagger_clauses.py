"""Negation, reversal and hedging act within the clause of a polarity cue, and stop at its end."""

import pytest

from radar_reference import load_companies
from radar_schemas import Polarity, Theme
from radar_tagger.domain.tagger import Tagger
from radar_tagger.domain.taxonomy import load_taxonomy
from radar_tagger.domain.text import same_clause


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(), load_companies())


def polarity_of(tagger: Tagger, title: str, theme: Theme) -> Polarity:
    found = {t.theme: t.polarity for t in tagger.tag(title, "").themes}
    assert theme in found, f"{theme} not found in {title!r}: {found}"
    return found[theme]


def test_no_longer_turns_expected_growth_round(tagger: Tagger) -> None:
    title = "Nvidia no longer expects AI chip demand to grow"
    assert polarity_of(tagger, title, Theme.AI_HARDWARE) is Polarity.NEGATIVE


def test_a_negation_early_in_the_clause_reaches_a_distant_cue(tagger: Tagger) -> None:
    title = "Nvidia did not see sales of its newest AI accelerator chips grow this year"
    assert title.index("grow") - title.index("not") > 30  # well beyond a few words
    assert polarity_of(tagger, title, Theme.AI_HARDWARE) is Polarity.NEGATIVE


@pytest.mark.parametrize(
    "title",
    [
        "Nvidia did not comment, but AI chip demand jumped",
        "Nvidia did not raise prices; AI chip demand grew",
        "Intel did not gain share while AI chip demand grew strongly",
        "Nvidia's AI chip sales did not slow and demand grew",
    ],
)
def test_a_negation_in_another_clause_leaves_the_cue_alone(tagger: Tagger, title: str) -> None:
    assert polarity_of(tagger, title, Theme.AI_HARDWARE) is Polarity.POSITIVE


def test_and_between_two_negated_predicates_keeps_the_negation(tagger: Tagger) -> None:
    title = "Roblox failed to beat estimates and raise guidance"
    assert polarity_of(tagger, title, Theme.EARNINGS_RESULT) is Polarity.NEGATIVE


def test_a_hedge_weakens_only_its_own_clause(tagger: Tagger) -> None:
    firm = tagger.tag("", "Nvidia said AI chip sales surged.").themes[0]
    other_clause = tagger.tag("", "Nvidia said AI chip sales surged, though demand may slow.")
    hedged = tagger.tag("", "Nvidia said AI chip sales may surge.").themes[0]
    tag = next(t for t in other_clause.themes if t.theme is Theme.AI_HARDWARE)
    assert tag.polarity is Polarity.POSITIVE
    assert tag.confidence == firm.confidence > hedged.confidence


def test_may_the_month_and_idioms_are_neither_hedge_nor_negation(tagger: Tagger) -> None:
    firm = tagger.tag("", "Nvidia said AI chip sales surged.").themes[0]
    month = tagger.tag("", "Nvidia said AI chip sales surged in May.").themes[0]
    assert month.confidence == firm.confidence
    title = "There is no doubt AI chip demand will keep growing"
    assert polarity_of(tagger, title, Theme.AI_HARDWARE) is Polarity.POSITIVE


def test_clause_breaks() -> None:
    text = "did not raise guidance, but sales and profit rose and beat"
    start = text.index("not") + 3
    assert same_clause(text, start, text.index("guidance"))
    assert not same_clause(text, start, text.index("sales"))
    assert not same_clause(text, text.index("sales"), text.index("rose"))
    assert same_clause(text, text.index("rose") + 4, text.index("beat"))
    assert not same_clause(text, text.index("rose") + 4, text.index("beat"), coordinated=False)


@pytest.mark.parametrize(
    ("undone", "standing", "theme"),
    [
        (
            "US lifts its ban on Nvidia AI chip sales to China",
            "Nvidia AI chip sales to China were banned",
            Theme.AI_HARDWARE,
        ),
        (
            "Judge dismisses copyright lawsuit against OpenAI",
            "Copyright lawsuit against OpenAI goes ahead",
            Theme.AI_IP,
        ),
        ("美国解除对英伟达AI芯片的出口禁令", "美国对英伟达AI芯片实施出口禁令", Theme.AI_HARDWARE),
    ],
)
def test_a_reversal_turns_what_it_undoes_round(
    tagger: Tagger, undone: str, standing: str, theme: Theme
) -> None:
    assert polarity_of(tagger, standing, theme) is Polarity.NEGATIVE
    assert polarity_of(tagger, undone, theme) is Polarity.POSITIVE


def test_a_reversal_in_another_clause_leaves_the_cue_alone(tagger: Tagger) -> None:
    title = "Regulators settled the matter; Nvidia AI chip sales to China were banned"
    assert polarity_of(tagger, title, Theme.AI_HARDWARE) is Polarity.NEGATIVE


@pytest.mark.parametrize(
    ("title", "theme"),
    [
        ("US refuses to lift ban on Nvidia AI chip sales to China", Theme.AI_HARDWARE),
        ("US did not lift its ban on Nvidia AI chip sales to China", Theme.AI_HARDWARE),
        ("No plans to ease export restrictions on Nvidia AI chips", Theme.AI_HARDWARE),
        ("美国未解除对英伟达AI芯片的出口禁令", Theme.AI_HARDWARE),
        ("美国拒绝解除对英伟达AI芯片的出口禁令", Theme.AI_HARDWARE),
        ("Judge refuses to dismiss copyright lawsuit against OpenAI", Theme.AI_IP),
    ],
)
def test_a_negated_reversal_leaves_the_bad_news(tagger: Tagger, title: str, theme: Theme) -> None:
    assert polarity_of(tagger, title, theme) is Polarity.NEGATIVE


@pytest.mark.parametrize(
    ("title", "theme", "polarity"),
    [
        # good news is not the reversal's object
        ("Nvidia shares settled higher on AI chip demand", Theme.AI_HARDWARE, Polarity.POSITIVE),
        ("Nvidia CEO dismisses AI bubble talk as demand surges", Theme.AI_HARDWARE,
         Polarity.POSITIVE),
        ("Copilot's ease of use boosts Microsoft AI revenue", Theme.AI_REVENUE, Polarity.POSITIVE),
        # a price that settled lower fell
        ("Nvidia stock settled down 3% as AI chip sales slowed", Theme.AI_HARDWARE,
         Polarity.NEGATIVE),
        # a concession between: the restrictions stand
        ("AI demand lifts Nvidia shares despite US export restrictions", Theme.AI_REGULATION,
         Polarity.NEUTRAL),
        # "and" ends its reach: the fine is bad news
        ("Judge dismisses authors' copyright claim against OpenAI and fines the company",
         Theme.AI_IP, Polarity.NEGATIVE),
        # 取消 inside 获取消费者, 解除 inside 了解除, a lock-up's expiry (解禁) is bad news
        ("AI营销帮助广告主获取消费者带动广告收入增长", Theme.AI_MARKETING, Polarity.POSITIVE),
        ("投资者希望了解除AI芯片之外的收入增长", Theme.AI_HARDWARE, Polarity.POSITIVE),
        ("AI芯片公司限售股解禁导致股价下跌", Theme.AI_HARDWARE, Polarity.NEGATIVE),
        ("AI芯片公司寒武纪迎来解禁潮 股价大跌", Theme.AI_HARDWARE, Polarity.NEGATIVE),
        # a price that eased or settled fell; what a reversal governs is named, not a fall
        ("Chip stocks eased lower as AI chip demand slumps", Theme.AI_HARDWARE,
         Polarity.NEGATIVE),
        ("TSMC shares settle lower on weak AI chip demand", Theme.AI_HARDWARE, Polarity.NEGATIVE),
        ("AI chip stocks ease on export curbs", Theme.AI_HARDWARE, Polarity.NEGATIVE),
        ("Microsoft scraps AI data center plans amid weak demand", Theme.AI_HARDWARE,
         Polarity.NEGATIVE),
        ("US revokes Nvidia AI chip licenses in crackdown", Theme.AI_HARDWARE, Polarity.NEGATIVE),
        ("US lifts some AI chip curbs as shares slump on export ban", Theme.AI_HARDWARE,
         Polarity.NEGATIVE),
        # Chinese punctuation and conjunctions end its reach
        ("公司取消年度分红，因AI芯片业务亏损扩大", Theme.AI_HARDWARE, Polarity.NEGATIVE),
        ("客户取消订单导致AI芯片需求下滑", Theme.AI_HARDWARE, Polarity.NEGATIVE),
        ("美国取消对英伟达AI芯片的出口许可，股价大跌", Theme.AI_HARDWARE, Polarity.NEGATIVE),
        # 不断 and 未来 negate nothing; "declined to comment" and 拒绝就…置评 refuse nothing
        ("美国不断放宽对AI芯片的出口限制", Theme.AI_HARDWARE, Polarity.POSITIVE),
        ("英伟达拒绝就AI芯片出口禁令置评", Theme.AI_HARDWARE, Polarity.NEGATIVE),
    ],
)  # fmt: skip
def test_a_reversal_undoes_only_the_bad_news_it_governs(
    tagger: Tagger, title: str, theme: Theme, polarity: Polarity
) -> None:
    assert polarity_of(tagger, title, theme) is polarity
