"""What a figure measures, in the text's own words, so that a card can say "advertising
revenue +25%", "funding $1.5B" or "13 authors" rather than "change +25%", "amount $1.5B"
or "count 13".

English: the noun phrase a change is "in" or "of" ("a 25% rise in advertising revenue"),
the subject of a verb of movement ("Azure revenue rose 33%"), the object of a verb of
change ("cutting production time by 50%"), or what "growth of" belongs to ("revenue growth
of 18%"); for a part of a whole, the whole ("40% of customers"). Chinese: the last measure
named before the figure in its clause (营收同比增长20%: 营收). None when the text names none
of these: a card then says "change".

An amount of money: the noun right after it ("a $60 million investment round"), the noun a
verb of money stands for ("raises $1.5B": funding, "spent $40 million": spending), what it
is "of" or "worth" ("a valuation of $852 billion", "a deal worth $2 billion"), the subject
of a verb of level ("Nvidia's market value hit $5 trillion"); Chinese: the measure before it
in its clause (估值已飙升至8520亿美元: 估值) or a noun of money just after it (500亿美元投资:
投资). A count: the noun right after it ("13 authors", "10,752 GPUs").
"""

import re

_WORD = r"[A-Za-z][\w'’&\-]*"
_PHRASE = rf"(?P<x>{_WORD}(?:\s+{_WORD}){{0,5}})"
_YEARLY = r"(?:year[- ](?:over|on)[- ]year|yoy|y/y|annual|quarterly|sequential)"
_MOVE_NOUN = (
    r"(?:rise|increase|jump|gain|growth|surge|boost|uplift|improvement|drop|decline|"
    r"decrease|fall|cut|reduction|slump|dip|plunge|slide)"
)
_MOVE_VERB = (
    r"(?:rose|rises|risen|grew|grows|grown|increased|increases|jumped|jumps|climbed|climbs|"
    r"surged|surges|soared|soars|gained|gains|fell|falls|fallen|dropped|drops|declined|"
    r"declines|decreased|decreases|slid|slipped|sank|plunged|plummeted|tumbled|shrank|"
    r"(?:was|were|is|are)\s+(?:up|down)|up|down)"
)
_ACTION = (
    r"(?:cut|cuts|cutting|reduc(?:e|ed|es|ing)|lower(?:ed|s|ing)?|slash(?:ed|es|ing)?|"
    r"rais(?:e|ed|es|ing)|boost(?:ed|s|ing)?|increas(?:e|ed|es|ing)|decreas(?:e|ed|es|ing)|"
    r"trim(?:med|s|ming)?|improv(?:e|ed|es|ing)|lift(?:ed|s|ing)?|shr[iu]nk(?:ing|s)?|"
    r"accelerat(?:e|ed|es|ing)|speed(?:s|ing)? up|sped up)"
)
_HEDGE = r"(?:(?:by|about|around|roughly|nearly|almost|over|more than|some|just|only|an?)\s+)*"

_AFTER = re.compile(rf"^\s*(?:{_YEARLY}\s+)?{_MOVE_NOUN}\s+(?:in|of)\s+{_PHRASE}", re.I)
# What moved named between the figure and its move: "an 80% price cut", "a 10% revenue decline"
_NAMED_MOVE = re.compile(
    r"^\s*(?P<x>revenues?|sales|profits?|earnings|income|margins?|prices?|costs?|shares?|stock|"
    r"shipments?|demand|traffic|usage|spending|headcount|workforce|ad revenue|advertising|"
    rf"subscribers?|users?|bookings)\s+(?:{_MOVE_NOUN}|hike|hikes)\b",
    re.I,
)
_OF_WHOLE = re.compile(rf"^\s*of\s+{_PHRASE}", re.I)
# A part of a whole that an action takes: "cut 15% of its workforce", "lays off 10% of staff".
_ACTED_ON = re.compile(rf"\b(?:{_ACTION}|lay(?:s|ing)?\s+off|laid\s+off)\s+{_HEDGE}$", re.I)
_OF_OWN = re.compile(rf"^\s*of\s+(?:(?:its|the|their|his|her|our)\s+)?{_PHRASE}", re.I)
_OBJECT = re.compile(rf"\b{_ACTION}\s+{_PHRASE}\s+(?:by|in)\s+{_HEDGE}$", re.I)
_SUBJECT = [
    re.compile(rf"{_PHRASE}\s+{_MOVE_VERB}\s+{_HEDGE}$", re.I),
    re.compile(rf"{_PHRASE}\s+{_MOVE_NOUN}\s+of\s+{_HEDGE}$", re.I),
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words a measure's name never holds: where the phrase before them ends or after them starts.
_STOP = _words(
    """a an the its their his her our your this that these those it they he she we which who
    and or but as to from for after on at with over since versus vs while than into onto
    in of by said says say told reported reports report announced expects expected
    has have had been being is was were are be will would could may might should also
    year years quarter quarters month months week weeks day days last this next first
    compared driven thanks due led helped largely mostly nearly about around roughly
    cutting cut raising reducing lowering boosting now ago then still already just only
    currently trading both today yesterday tomorrow"""
)
_AUXILIARY = _words("is was are were has have had been be")
_PRONOUNS = _words("it they he she we this that these those which who")
# A verb after the first word ends a phrase read forwards ("40% of customers deployed ...").
_VERB = re.compile(
    r"^[a-z]+(?:ed|ing|n't|n’t)$|^(?:use|uses|reach|reaches|say|says|see|sees|run|runs|plan|plans|want|wants|"
    r"expect|expects|adopt|adopts|fail|fails|built|made|paid|strung|sold|left|lost|held|"
    r"set|put|spread|seen|known|shown|given|taken|signals|meant)$",
    re.I,
)
_AMOUNT = re.compile(r"[$€£¥￥]|元|亿|億|万|萬|\b(?:billion|million|bn|mn)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?]\s|[。！？；;]")
_SHORT_CLAUSE = 25  # characters: a clause this short states a change, not what changed
_MEASURES = re.compile(
    r"(?:\b(?P<lead>[A-Za-z][\w'’&\-]*)\s+)?(?P<noun>\b(?:revenues?|sales|bookings|"
    r"net income|operating income|net profit|operating profit|profits?|earnings per share|"
    r"EPS|ARR|capex|capital expenditures?|subscribers|users|shipments|margins?|spending|"
    r"orders|deliveries|costs?|prices?|shares)\b)",
    re.I,
)
_DANGLING = _words("per of in for on at to with")
_SCALE_WORDS = _words("thousand million billion trillion bn mn")
_NOUNS_IN_ING = _words(
    "operating marketing advertising streaming gaming licensing computing spending pricing "
    "shipping funding billing hosting training financing"
)
_LEADING = _words("a an the its their his her our your this that these those")
_MAX_WORDS = 5
_CJK_MEASURES = re.compile(
    r"归母净利润|扣非净利润|净利润|淨利潤|营业总收入|营业收入|營業收入|營收|营收|总收入|收入|"
    r"广告收入|游戏收入|毛利率|净利率|毛利|利润|利潤|流水|月活跃用户|月活|日活|付费用户|用户数|用户|"
    r"股价|股價|市值|出货量|出貨量|销量|銷量|调用量|調用量|票房|成本|价格|價格|订单|訂單|"
    r"现金流|每股收益|市场规模|市场份额|份额|播放量|下载量|装机量"
)


# A Chinese clause that is only a name and its move ("快手跌超4%", "蔚来大涨15%", "沪指涨0.01%"):
# the name, two to eight characters with no digit, opening the clause.
_CJK_MOVER = re.compile(
    r"(?:^|[，,、。；;：:\s])(?:但|而|并|且|其中|引发|导致|带动|推动)?(?P<x>[\u4e00-\u9fffA-Za-z]{2,8}?)(?:股价|股份)?"
    r"(?:开盘|盘中|盘初|盘前|盘后|早盘|午后|尾盘|收盘|全天|今日|当日|当周|当月|单日|单周|本周|本月|"
    r"上周|周内|周[一二三四五]|同期|年内|今年以来|上市后|两日|三日)?(?:最高|最低|累计|累)?"
    r"(?:一度|大幅|仅|均|都|也|又|已|逆势|集体|双双)?(?:大|暴|急|飙|狂|微|小|再|续)?"
    r"(?:涨|跌|上涨|下跌|收涨|收跌|走高|走低|回落|反弹|拉升|攀升|飙升|重挫|下挫)"
    r"(?:了|幅)?(?:超过|超|近|逾|约|达|至)?$"
)


# Words that open such a clause without naming what moved: a basis, "each", a time.
_NOT_MOVERS = _words(
    """同比 环比 分别 该股 个股 其中 此前 随后 目前 最终 开盘 盘初 盘中 盘前 盘后 早盘 午后
    单日 单周 当日 当周 当月 本周 本月 上周 周内 全天 今日 年内"""
)
_SEVERAL = ("分别", "各", "均")  # "IonQ和D-Wave Quantum分别上涨15%和6.5%": which is which


def _mover(name: str) -> bool:
    """A name opening a clause of movement names what moved: not a time, a basis ("较周三
    收盘涨近5.1%"), nor several things at once."""
    return name not in _NOT_MOVERS and not name.startswith("较") and not name.endswith(_SEVERAL)


def about(text: str, start: int, end: int, kind: str, before: str) -> str | None:
    """What the figure at text[start:end] measures, or None. ``before`` is its clause before
    it (as quantities reads it); changes, parts of a whole, amounts and counts are read (the
    other kinds say what they are: revenue, EPS, a price target)."""
    if kind in ("amount", "count"):
        after = text[end : end + 60]
        if not text[end - 1 : end].isspace() and after[:1].isascii() and after[:1].isalpha():
            after = ""  # glued to the figure: "13th-generation", "3D models" (no noun of it)
        return _what_amount(after, before, kind)
    if kind not in ("growth", "share"):
        return None
    after = text[end : end + 80]
    if kind == "share":
        found = _OF_WHOLE.match(after)
        return _leading_words(found["x"]) if found else None
    named = _last_cjk_measure(before[-30:])
    if named:
        return named
    if _ACTED_ON.search(before):
        found = _OF_OWN.match(after)
        if found:  # "cut 15% of its workforce": workforce
            return _leading_words(found["x"])
    moved = None if before.isascii() else _CJK_MOVER.search(before)  # its verbs are Chinese
    if moved and _mover(moved["x"]):
        return moved["x"]  # "快手跌超4%", "恒指涨超1%": what moved
    found = _AFTER.match(after)
    if found:
        return _leading_words(found["x"])
    found = _NAMED_MOVE.match(after)
    if found:
        return found["x"]
    found = _OBJECT.search(before)
    if found:  # read forwards from the verb: "cuts API price per million tokens by 60%"
        return _leading_words(found["x"])
    for pattern in _SUBJECT:
        found = pattern.search(before)
        if found:
            return _trailing_words(found["x"])
    if len(before.strip()) <= _SHORT_CLAUSE:  # "revenue of $5.2 billion, up 20%",
        opened = start - len(before)  # "营业收入19.55亿元，同比增长103.69%": the clause before
        window = text[max(0, opened - 60) : opened]
        ends = list(_SENTENCE_END.finditer(window))  # within the figure's sentence
        clause = window[ends[-1].end() :] if ends else window
        # ... and only when that clause states the amount that changed ("representing 77%
        # of net bookings and growing 14%" says nothing of what grew)
        return _measure(clause) if _AMOUNT.search(clause) else None
    return None


# -- amounts and counts -----------------------------------------------------------------

_SOME = (
    r"(?:(?:at least|up to|as much as|more than|less than|just over|just under|a further|"
    r"another|an extra|an additional|a whopping|whopping|about|around|roughly|nearly|almost|"
    r"approximately|over|some|only|just|an?)\s+)*"
)
# A verb of money before an amount, and the noun it stands for.
_MONEY_VERBS = [
    (
        re.compile(
            rf"\b(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed|ing)|land(?:s|ed)?|clos(?:e|es|ed|ing))\s+{_SOME}$",
            re.I,
        ),
        "funding",
    ),
    (re.compile(rf"\b(?:spend|spends|spent|spending)\s+{_SOME}$", re.I), "spending"),
    (
        re.compile(rf"\b(?:invest|invests|invested|investing|pour(?:s|ed|ing)?)\s+{_SOME}$", re.I),
        "investment",
    ),
    (re.compile(rf"\b(?:valued|valuing \w+) at\s+{_SOME}$", re.I), "valuation"),
    (re.compile(rf"\b(?:fined?|fines|penali[sz]ed)\s+(?:\w+\s+)?{_SOME}$", re.I), "fine"),
    (
        re.compile(rf"\b(?:acquir|buy|bought|purchas)\w*\b.{{0,60}}\bfor\s+{_SOME}$", re.I),
        "acquisition",
    ),
]
_OF_AMOUNT = re.compile(rf"{_PHRASE}\s+(?:of|worth|totall?ing)\s+{_SOME}$", re.I)
_LEVEL_OF = re.compile(
    rf"{_PHRASE}\s+(?:(?:rose|risen|grew|grown|increased|jumped|climbed|surged|soared|fell|"
    r"fallen|dropped|declined|decreased|slid|sank|plunged|shrank)\s+to|reached|reaches|hit|"
    r"hits|totall?ed|totals|topped|tops|stood at|stands at|closed at|closes at|trading at|"
    rf"traded at)\s+{_SOME}$",
    re.I,
)
# A noun right after the figure ("$60 million investment round", "13 authors"): not a stop
# word, an adverb ("annually") or a unit word the figure already says.
_AFTER_WORDS = re.compile(rf"^\s*{_PHRASE}")
_NOT_A_NOUN = _words(
    """per each apiece annually yearly monthly daily so far in total more less fewer
    dollars dollar euros yuan usd eur cny hkd jpy krw gbp percent worth off range
    when while whereas after before since because if unless once as than that which who"""
)
_CJK_AMOUNT_MEASURES = re.compile(
    _CJK_MEASURES.pattern
    + r"|市值|估值|投资(?![者人级])|融资|募资|资本开支|资本支出|支出|开支|现金消耗|"
    r"成交额|罚款|补贴|投入|订单金额|合同金额|交易额"
)
_CJK_AMOUNT_AFTER = re.compile(
    r"^(?:的)?(投资(?![者人级])|融资|订单|合同|长期协议|协议|企业债|债券|资金|补贴|罚款|收购|估值|营收|收入)"
)


def _what_amount(after: str, before: str, kind: str) -> str | None:
    """What an amount of money or a count is (see the module's docstring)."""
    if kind == "count":
        found = _AFTER_WORDS.match(after)
        return _noun_after(found["x"]) if found else None
    named = _last_cjk_measure(before[-30:], _CJK_AMOUNT_MEASURES)
    if named:
        return named
    cjk = _CJK_AMOUNT_AFTER.match(after)
    if cjk:
        return cjk[1]
    found = _AFTER_WORDS.match(after)
    named = _noun_after(found["x"]) if found else None
    if named:
        return named
    for pattern, noun in _MONEY_VERBS:
        if pattern.search(before):
            return noun
    for pattern in (_OF_AMOUNT, _LEVEL_OF):
        found = pattern.search(before)
        named = _trailing_words(found["x"]) if found else None
        if named and named.lower() not in _NOT_A_NOUN:  # "in the range of $75 million"
            return named
    return None


def _noun_after(phrase: str) -> str | None:
    """The words after a figure when they name a thing: up to three, not when the first is
    a stop word, an adverb, a verb or a unit the figure already states. A participle before
    a noun is an adjective ("100,000 unauthorised requests")."""
    words = [w for w in phrase.split()[:3] if not w.lower().startswith("http")]
    first = words[0].strip("'’").lower() if words else ""
    if not first or first in _STOP or first in _NOT_A_NOUN or first.endswith("ly"):
        return None
    if _VERB.match(first) and first not in _NOUNS_IN_ING:
        second = words[1].strip("'’").lower() if len(words) > 1 else ""
        noun_next = second and second not in _STOP and not _VERB.match(second)
        if not (first.endswith("ed") and noun_next):
            return None
    return _leading_words(" ".join(words))


def _measure(window: str) -> str | None:
    """The last measure a clause names (with the word before it in English: "Azure
    revenue")."""
    cjk = _last_cjk_measure(window)
    if cjk:
        return cjk
    named = list(_MEASURES.finditer(window))
    if not named:
        return None
    lead, noun = named[-1]["lead"], named[-1]["noun"]
    if not lead or lead.lower() in _STOP or lead.lower() in _SCALE_WORDS:
        return noun  # "2 billion users": users
    return f"{lead} {noun}"


def _last_cjk_measure(window: str, measures: re.Pattern[str] = _CJK_MEASURES) -> str | None:
    """The last Chinese measure named in the window (营收, 净利润 …), if any. Every measure
    is written in Chinese characters: an ASCII window names none."""
    if window.isascii():
        return None
    names: list[str] = measures.findall(window)
    return names[-1] if names else None


def _leading_words(phrase: str) -> str | None:
    """The phrase up to its first stop word ("advertising revenue, and ..." → "advertising
    revenue")."""
    words: list[str] = []
    for word in phrase.split():
        bare = word.strip("'’").lower()
        if bare in _STOP and not (not words and bare in _LEADING):
            break
        if words and _VERB.match(word) and bare not in _NOUNS_IN_ING:
            break
        if bare not in _LEADING:
            words.append(word)
    return _named(words[:_MAX_WORDS])


# A verb that makes another thing move ends the subject read backwards ("sending shares
# down 7%": shares; "the news sent shares up 5%": shares).
# (verb forms only: "autonomous driving revenue", "Google Drive subscriptions" are names)
_CAUSING = _words(
    """sends sent sending pushes pushed pushing drove knocked knocking dragged dragging"""
)


def _trailing_words(phrase: str) -> str | None:
    """The phrase after its last stop word ("Microsoft said Azure revenue" → "Azure
    revenue")."""
    words: list[str] = []
    for word in reversed(phrase.split()):
        bare = word.strip("'’").lower()
        if bare in _AUXILIARY and not words:
            continue  # "shares were (up 5%)"
        if bare in _STOP or bare in _PRONOUNS or bare in _CAUSING:
            if bare in _PRONOUNS and not words:
                return None  # "it rose 5%": what "it" is lies in another sentence
            break
        words.insert(0, word)
    return _named(words[-_MAX_WORDS:])


def _named(words: list[str]) -> str | None:
    while words and len(words[0].strip("'’")) < 2:  # "s" of "Inc.’s stock price"
        words = words[1:]
    while words and words[-1].lower() in _DANGLING:  # "API price per" of a cut-off phrase
        words = words[:-1]
    phrase = " ".join(words).strip(" '’-")
    return phrase if len(phrase) >= 2 and not phrase.replace(".", "").isdigit() else None
