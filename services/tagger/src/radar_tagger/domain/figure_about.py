"""What a change in percent measures, in the text's own words, so that a card can say
"advertising revenue +25%" rather than "change +25%".

English: the noun phrase a change is "in" or "of" ("a 25% rise in advertising revenue"),
the subject of a verb of movement ("Azure revenue rose 33%"), the object of a verb of
change ("cutting production time by 50%"), or what "growth of" belongs to ("revenue growth
of 18%"); for a part of a whole, the whole ("40% of customers"). Chinese: the last measure
named before the figure in its clause (营收同比增长20%: 营收). None when the text names none
of these: a card then says "change".
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
    currently trading both"""
)
_AUXILIARY = _words("is was are were has have had been be")
_PRONOUNS = _words("it they he she we this that these those which who")
# A verb after the first word ends a phrase read forwards ("40% of customers deployed ...").
_VERB = re.compile(
    r"^[a-z]+(?:ed|ing|n't|n’t)$|^(?:use|uses|reach|reaches|say|says|see|sees|run|runs|plan|plans|want|wants|"
    r"expect|expects|adopt|adopts|fail|fails|built|made|paid)$",
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


def about(text: str, start: int, end: int, kind: str, before: str) -> str | None:
    """What the figure at text[start:end] measures, or None. ``before`` is its clause before
    it (as quantities reads it); only changes and parts of a whole are read."""
    if kind not in ("growth", "share"):
        return None
    after = text[end : end + 80]
    if kind == "share":
        found = _OF_WHOLE.match(after)
        return _leading_words(found["x"]) if found else None
    named = _last_cjk_measure(before[-30:])
    if named:
        return named
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


def _last_cjk_measure(window: str) -> str | None:
    """The last Chinese measure named in the window (营收, 净利润 …), if any."""
    names = _CJK_MEASURES.findall(window)
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


def _trailing_words(phrase: str) -> str | None:
    """The phrase after its last stop word ("Microsoft said Azure revenue" → "Azure
    revenue")."""
    words: list[str] = []
    for word in reversed(phrase.split()):
        bare = word.strip("'’").lower()
        if bare in _AUXILIARY and not words:
            continue  # "shares were (up 5%)"
        if bare in _STOP or bare in _PRONOUNS:
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
