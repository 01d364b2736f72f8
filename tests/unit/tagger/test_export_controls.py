"""Export controls and bans on AI chips or models are regulation, and bad news for the
hardware they stop, in Chinese as in English (real items of the training part)."""

import pytest
from corpus_texts import training_item

from radar_tagger.domain.tagger import Tagger
from radar_tagger.loading import build_tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return build_tagger()


def test_a_licence_demanded_of_an_ai_lab_is_negative_regulation(tagger: Tagger) -> None:
    # x6-0179: 美商务部长致信Anthropic … 必须事先获得商务部颁发的许可证 … 模型全球下架
    found = {t.theme.value: t.polarity.value for t in tagger.tag(*training_item("x6-0179")).themes}
    assert found.get("ai_regulation") == "negative"


@pytest.mark.parametrize(
    "phrase", ["出口管制", "出口限制", "出口禁令", "禁止出口", "芯片禁令", "实体清单", "實體清單"]
)
def test_chinese_export_control_words_are_regulation_cues(tagger: Tagger, phrase: str) -> None:
    cues = {
        p for p, kind, key in tagger.themes.phrases() if kind == "cue" and key == "ai_regulation"
    }
    assert phrase in cues


def test_a_chinese_export_ban_is_no_good_news_for_chips(tagger: Tagger) -> None:
    # zh-0167 (中国对稀土、超硬材料、锂电池等相关物项实施出口管制) is background for AI; the
    # same words about AI chips read as regulation, negative for hardware
    title, text = training_item("zh-0167")
    assert tagger.tag(title, text).themes == []
    chips = tagger.tag("美国扩大对华AI芯片出口管制，英伟达H20受限", "")
    found = {t.theme.value: t.polarity.value for t in chips.themes}
    assert found.get("ai_regulation") == "negative"
    assert found.get("ai_hardware") in (None, "negative")
