"""The direction of a broker's rating change, read from the ratings it names.

"Downgraded to Outperform from Strong Buy" is a cut, although both ratings are words of
praise; "cut to Neutral as the stock jumps 50%" is a cut, although the stock rose. The
ratings stand on one ladder (strong buy above buy, outperform and overweight, above hold,
neutral and market perform, above underperform, underweight and reduce, above sell): a
change "to X from Y" or "from Y to X" goes the way the ladder does; "cut to", "lowered to",
"downgraded … to" a rating goes down and "raised", "lifted", "upgraded … to" one goes up;
in Chinese, 下调至 / 上调至 a rating (评级下调至中性).
"""

import re

from radar_schemas import Polarity

from .text import matched_key

# Words that make a sentence one about a rating or a price target, in either language (each
# reader adds its own: the tagger's figures "upside", the broker finder "upgrades").
RATING_TERMS = r"price target|target price|price objective|目标价|目標價|评级|評級"
_LADDER = {
    6: "strong buy|strong-buy|conviction buy|top pick",
    5: "buy|outperform|overweight|accumulate|add|market outperform|sector outperform",
    3: "hold|neutral|perform|market perform|sector perform|peer perform|equal weight|"
    "equal-weight|in-line|in line|sector weight|market weight",
    2: "underperform|underweight|reduce|market underperform|sector underperform",
    1: "sell|strong sell|strong-sell",
}
_RANK = {name: rank for rank, names in _LADDER.items() for name in names.split("|")}
_RATING = "|".join(sorted(map(re.escape, _RANK), key=len, reverse=True))
_MARK = r"(?:an?\s+)?['\"“”‘’]?"  # a "buy" rating, 'Neutral'
_CHANGES = [
    re.compile(
        rf"\bto\s+{_MARK}(?P<to>{_RATING})\b{_MARK}(?:\s+rating)?\s+from\s+{_MARK}(?P<old>{_RATING})\b",
        re.I,
    ),
    re.compile(
        rf"\bfrom\s+{_MARK}(?P<old>{_RATING})\b{_MARK}(?:\s+rating)?\s+to\s+{_MARK}(?P<to>{_RATING})\b",
        re.I,
    ),
]
_DOWN = "cut|cuts|lowered|lowers|downgraded|downgrades|downgrading|downgrade"
_UP = "raised|raises|lifted|lifts|upgraded|upgrades|upgrading|upgrade"
_MOVED_TO = re.compile(
    rf"\b(?:(?P<down>{_DOWN})|(?P<up>{_UP}))\s+(?:[^\s,.;]+\s+){{0,4}}?to\s+{_MARK}(?:{_RATING})\b",
    re.I,
)


# Chinese: 评级下调至中性, 评级调升至"买入" (the ladder's direction is the verb's).
_CN_MOVED_TO = re.compile(
    r"(?:(?P<down>下调|调降|下修|降)|(?P<up>上调|调升|上修|升))[^。，,；;]{0,6}?至\s*['\"“”‘’]?"
    r"(?:买入|增持|中性|持有|减持|卖出|跑赢大市|跑输大市|优于大市|同步大市|推荐|强烈推荐)"
)


def rating_direction(text: str) -> Polarity | None:
    """Which way a rating change the text states goes, or None when it states none (or a
    change to a rating on the same rung)."""
    for pattern in _CHANGES:
        found = pattern.search(text)
        if found:
            to, old = matched_key(_RANK, found["to"]), matched_key(_RANK, found["old"])
            step = to - old if to is not None and old is not None else 0
            if step:
                return Polarity.POSITIVE if step > 0 else Polarity.NEGATIVE
    moved = _MOVED_TO.search(text) or _CN_MOVED_TO.search(text)
    if moved:
        return Polarity.NEGATIVE if moved["down"] else Polarity.POSITIVE
    return None
