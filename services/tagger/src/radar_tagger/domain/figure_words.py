"""The words that say what a figure is: its scale, currency, kind, direction and period, in
English, Chinese (simplified and traditional), and the few Japanese, Korean, German and
French forms the labelled news carries. The quantities module applies them.

Each pattern is compiled once here; the labelled training items they were written from are
cited in tests/unit/tagger/test_quantities_labelled.py.
"""

import re

SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "b": 1e9, "bn": 1e9, "bln": 1e9, "trillion": 1e12, "t": 1e12, "tn": 1e12,
    "quadrillion": 1e15, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8,
    "十亿": 1e9, "百亿": 1e10, "千亿": 1e11, "万亿": 1e12, "萬": 1e4, "十萬": 1e5,
    "百萬": 1e6, "千萬": 1e7, "億": 1e8, "十億": 1e9, "百億": 1e10, "千億": 1e11, "萬億": 1e12,
    "兆": 1e12, "milliarden": 1e9, "milliard": 1e9, "milliards": 1e9, "mrd": 1e9,
    "millionen": 1e6, "millions": 1e6, "个亿": 1e8, "個億": 1e8, "조": 1e12, "억": 1e8, "만": 1e4,
}  # fmt: skip
PREFIX_CURRENCY = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "hk$": "HKD", "hkd": "HKD", "rmb": "CNY", "cny": "CNY", "￥": "CNY", "jpy": "JPY",
    "krw": "KRW", "₩": "KRW", "s$": "SGD", "a$": "AUD", "c$": "CAD", "nt$": "TWD", "twd": "TWD",
    "¥": "JPY",  # "¥" alone: yen, unless the text is Chinese (then yuan)
}  # fmt: skip
SUFFIX_CURRENCY = {
    "元": "CNY", "人民币": "CNY", "元人民币": "CNY", "港元": "HKD", "港币": "HKD", "美元": "USD",
    "日元": "JPY", "韩元": "KRW", "欧元": "EUR", "yuan": "CNY", "renminbi": "CNY", "yen": "JPY",
    "won": "KRW", "euros": "EUR", "euro": "EUR", "dollars": "USD", "usd": "USD", "rmb": "CNY",
    "hkd": "HKD", "cny": "CNY", "eur": "EUR", "jpy": "JPY", "krw": "KRW", "人民幣": "CNY",
    "港幣": "HKD", "美金": "USD", "歐元": "EUR", "日圓": "JPY", "원": "KRW", "yuans": "CNY",
    "台幣": "TWD", "新台幣": "TWD", "cent": "USD", "cents": "USD",
}  # fmt: skip
HUNDREDTHS = frozenset({"cent", "cents"})  # "earnings of 93 cents a share": $0.93
# Money with no currency named, in Chinese: "净亏损112亿", "成交额达到21071亿" (yuan).
CJK_SCALES = frozenset(
    {"万", "亿", "萬", "億", "万亿", "萬億", "个亿", "個億", "千万", "千萬", "百万", "百萬"}
)
MONEY_BEFORE = re.compile(
    r"营收|營收|收入|净利|淨利|凈利|利润|利潤|亏损|虧損|成交额|成交額|流入|流出|流水|缩量|縮量|"
    r"市场规模|市場規模|产值|產值|估值|融资|融資|市场预计|市場預計"
)
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
         "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
TOKENS = re.compile(
    r"^\s*(?:(?P<adjective>monthly|daily|weekly)\s+)?(?:input\s+|output\s+)?(?:tokens?\b|token)",
    re.I,
)
ADJECTIVE_PERIOD = {"monthly": "month", "daily": "day", "weekly": "week"}
PER_MILLION = re.compile(
    r"^\s*(?:per|/|a|for)\s*(?:1\s*)?(?:million|m|百万|mn)\s*"
    r"(?:(?:input|output)(?:\s*/\s*(?:input|output))?\s+)?tokens?",
    re.I,
)
# The other prices of a pair, or the price it changed to, before "per million tokens":
# "$10/$40 to $2/$8 per million input/output tokens" (each of the four is such a price).
PRICE_PAIR = re.compile(r"^(?:\s*(?:/|to|and|or)\s*[$€£¥]\s?\d[\d.,]*)+")
# A volume of calls named before it in Chinese: "日均Token调用量: 50兆", "调用量已突破50万亿次".
TOKENS_BEFORE = re.compile(
    r"(?:tokens?|token调用量|token消耗量|调用量|呼叫量|調用量)\s*(?:调用量|消耗量|呼叫量)?"
    r"[^\d]{0,8}$",
    re.I,
)
COUNTED = re.compile(
    r"^\s*(?:(?:paid|paying|monthly|daily|weekly|active|new|enterprise|business|individual|"
    r"team)\s+){0,3}"
    r"(?P<what>seats|users|subscribers|customers|clients|members|players|developers|accounts|"
    r"people|用户|付费用户|订阅用户|客户|玩家)",
    re.I,
)
COUNTED_UNIT = {
    "seats": "seats",
    "customers": "customers",
    "clients": "customers",
    "accounts": "customers",
    "客户": "customers",
}
# Users named before the figure: "月活躍用戶(MAU)已從...的3600萬", "海外 MAU ... 回到 1 亿".
USERS_BEFORE = re.compile(
    r"\b(?P<month>MAU)\b|\b(?P<day>DAU)\b|\b(?P<week>WAU)\b|(?P<month_>月活)|(?P<day_>日活)|"
    r"(?P<week_>周活)|活跃用户|活躍用戶|用户数|用戶數",
    re.I,
)
# Other things counted in AI-business news ("10,752 GPUs", "170 countries", "700 companies").
THINGS = re.compile(
    r"^\s*(?:[a-z0-9-]+\s+){0,3}?(?:gpus|chips|accelerators|servers|data centers|downloads|"
    r"employees|jobs|workers|staff|countries|companies|businesses|organizations|enterprises|"
    r"partners|vendors|models|apps|agents|queries|requests|images|videos|songs|books|titles|"
    r"games|stores|authors|artists|creators|publishers|times|launches|improvements|chats|"
    r"languages|tasks|generations|photos|people)\b"
    r"|^\s*(?:多|余|餘)?\s*(?:家|名|人|个|個|款|国|國|颗|顆|只|位|项|項|座|条|條|所|支|"
    r"台(?![币幣湾灣股积積北])|辆|輛|股(?![价價份东東权權息票市民])|张|張|吨|噸|卡|片|场|場|次|部|"
    r"套|件|架|户|戶|篇)",
    re.I,
)
# Pieces (块) of a thing ("500块GPU", "约11万块" chips) are counted; "售价1999块" and
# "月薪2万块" are money.
PIECES = re.compile(r"\s*[块塊]\s*(?:[A-Za-z]|芯片|显卡|顯卡|卡|屏|电池|電池|晶圆|晶圓|板)")
SCALED_PIECES = re.compile(r"\s*[块塊](?![钱錢])")
MONEY_WORDS = re.compile(r"薪|价|價|售|花|赚|賺|付|收入|工资|工資|元")
# A number counted per something or in an order, not a count: 每10股派3元, 第3次.
NO_COUNT_BEFORE = re.compile(r"[每第]\s*$")
# Where in a document a result is set: its quarter, half or year (None: nine months).
# A year, not a date within it nor a point around it ("2026年10月", "2024年初", "2030年前",
# "2026年年底", "2030年之前").
A_YEAR = (
    r"\d{4}\s?年(?!\s?[\d一二三四五六七八九十]+\s?月|初|底|末|中|前|后|後|以来|以來|之前|以前|"
    r"之后|以后|[上下]半|年[底末初中])"
)
# This year as a plan's span ("今年合计资本支出计划"), not a part of it or a span since its start.
THIS_YEAR = re.compile(
    r"\bthis year\b|今年(?!以来|以來|累计|累計|[一二三四1-4]季|第|上半|下半|前|首|初|底|"
    r"\s?[\d一二三四五六七八九十]+\s?月)",
    re.I,
)
RESULTS_SPANS = [
    (None, r"前三季|first nine months|nine months"),
    ("quarter", r"quarter|\bq[1-4]\b|季度|季报|季報|单季|單季|财季|財季|第\s?[一二三四1-4]\s?季|"
     r"\d{1,2}\s?[−~～-]\s?\d{1,2}\s?月期"),
    ("half", r"first half|second half|\bh[12]\b|上半年|下半年|半年度|半年报|半年報|中期"),
    ("year", r"full[- ]year|fiscal year|annual results|年报|年報|全年|年度|通期|财年|財年|"
     rf"{A_YEAR}"),
]  # fmt: skip
RESULTS_SPAN = re.compile(
    "|".join(f"(?P<s{i}>{p})" for i, (_, p) in enumerate(RESULTS_SPANS)), re.I
)
KINDS = [  # the first that appears in the clause before (or just after) a money figure
    ("eps", r"\beps\b|per share|每股收益|每股盈利|每股盈餘"),
    ("price_target", r"price target|target price|目标价|目標價"),
    ("arr", r"\barr\b|annual(?:ized)? recurring revenue|run[- ]rate|年化收入"),
    ("capex", r"capex|capital expenditures?|capital spending|资本开支|资本支出|資本開支|資本支出"),
    ("profit", r"net (?:income|profit|loss)|operating (?:income|profit|loss)|\bprofits?\b|"
     r"\blosses\b|\bloss\b|\bebit(?:d?a)?\b|"
     r"净利|歸母淨利|归母净利|利润|利潤|亏损|虧損|盈利|纯利|純利|淨利|凈利|résultat"),
    ("revenue", r"revenues?|\bsales\b|bookings|\bearned\b|营收|營收|营业收入|營業收入|收入|"
     r"销售额|銷售額|売上高|매출|umsatz|chiffre d'affaires"),
]  # fmt: skip
KIND = [(kind, re.compile(pattern, re.I)) for kind, pattern in KINDS]
MARKET_VALUE = re.compile(
    r"(?:its\s+)?(?:(?:stock\s+)?market\s+(?:value|cap\w*)|valuation|value)\b", re.I
)
# What a money figure is "in" or "of" names its kind ("$2.9 billion in net income").
IN_OF = re.compile(r"\s*(?:in|of)\s+", re.I)
# "35X better inferencing", "10x cheaper": a multiple in a comparison of performance, no
# growth of a figure ("5x more usage" is one: the annotators count it).
COMPARISON = re.compile(
    r"\s*(?:faster|slower|quicker|better|cheaper|(?:more |less )?efficient|smaller|"
    r"as (?:fast|quick|cheap|efficient|good))\b",
    re.I,
)
# A change told as a multiple in words ("revenue doubled", "翻了一番", "增长近八倍"). The bare
# verb only after a word of future or degree ("could double", "more than triple"), never in
# "doubled down", "double-digit", "double the speed of", "triple-A"; 倍 not in a comparison
# (两倍于, 三倍速, 三倍杠杆, 十倍股).
_MODAL = r"(?:more than|to|will|would|could|can|may|might|nearly|almost)\s"
_NOT_GROWTH = r"(?![-\s]+(?:down|digits?|check|the|that|those|what|a|as|witching)\b)(?!-)"
_CN_DIGITS = "两二三四五六七八九十"
MULTIPLE_WORDS = re.compile(
    rf"\b(?:(?P<double>doubl(?:ed|es|ing){_NOT_GROWTH}|{_MODAL}double{_NOT_GROWTH})|"
    rf"(?P<triple>tripl(?:ed|es|ing){_NOT_GROWTH}|{_MODAL}triple{_NOT_GROWTH})|"
    r"(?P<quadruple>quadrupl(?:ed|es|ing))|"
    rf"(?P<half>halv(?:ed|ing)|{_MODAL}halve{_NOT_GROWTH}))\b"
    r"|(?P<fan>翻(?:了)?(?:倍|番|一番|一倍))|(?P<fan_two>翻(?:了)?两番)"
    rf"|(?<![\d{_CN_DIGITS}一第])(?P<one>一倍)(?![于於速])"
    rf"|(?<![\d{_CN_DIGITS}一第])(?P<cn>[{_CN_DIGITS}]{{1,2}})(?:余|餘|多)?倍(?![于於速杠槓股体體])",
    re.I,
)
CN_DIGIT = {c: i for i, c in enumerate("_一二三四五六七八九十") if c != "_"} | {"两": 2, "兩": 2}
# Chinese numbers in words: tenths (三成 30%, 近两成), fractions (三分之一) and halves (一半,
# 逾半数); not 成本, 成功, 成为, 成立, 成交, 成员, 成果, 成熟, 成长, 成就, 成都, 一成不变, 另一半.
SPELLED = re.compile(
    r"(?P<cn_approx>近|约|約|超|逾|超过|超過)?(?:(?P<tenths>[一二三四五六七八九两兩])成"
    r"(?![本功为為立交员員果熟长長就都型品不])|(?P<den>[二三四五六七八九十])分之(?P<num>[一二三四五六七八九])"
    r"|(?<!另)(?P<half>一半|半数|半數|过半|過半))"
)
SPELLED_HINTS = ("成", "分之", "半")
# Parts every multiple in words has, of either case (a quick test before the scan).
MULTIPLE_HINTS = ("oubl", "OUBL", "ripl", "RIPL", "uadrupl", "UADRUPL", "alv", "ALV", "倍", "番")
# A multiple that is a valuation ratio or leverage, not a change (市盈率约为三十倍), and a
# halving that is bitcoin's.
MULTIPLE_NOT_CHANGE = re.compile(r"市盈率|市净率|市銷率|市销率|杠杆|槓桿|\bp/e\b", re.I)
NOT_HALVING = re.compile(r"bitcoin|比特币|比特幣", re.I)
# 一倍 is a change only after a word of growth (增长一倍: +100%), not in a comparison
# (快一倍) nor after a cut (成本降低一倍).
GROWN = re.compile(
    r"(?:增长|增長|增加|上涨|上漲|提升|提高|增|涨|漲|升)(?:了|超过|超過|超|近|逾|约|約)?\s*$"
)
# A forecast said with a modal ("could triple", "will double").
MODAL_FORECAST = re.compile(r"(?:will|would|could|may|might)\s", re.I)
# "1.5 times more memory than": a comparison, not a count of times.
MULTIPLE = re.compile(
    r"\s*times\s+(?:more|less|fewer|faster|slower|larger|smaller|bigger|higher|lower|greater|"
    r"better|cheaper|as|the|that|what)\b",
    re.I,
)
# Words of direction in the clause before a figure: the later one wins ("fell 12%", "cut
# API prices by 50%", "同比下降12%" are decreases; "rose 5% after falling" an increase).
DOWN = re.compile(
    r"\b(?:fell|fall|falls|falling|drop(?:ped|s)?|declin(?:ed|es|ing|e)|decreas(?:ed|es|ing|e)|"
    r"down|downside|lower(?:ed|s)?|cut(?:s|ting)?|slash(?:ed|es|ing)?|slump(?:ed|s)?|"
    r"plung(?:ed|es|e)|eras(?:ed|es|e)|wip(?:ed|es|e) out|tumbl(?:ed|es)|sank|shrank|shrunk|"
    r"contract(?:ed|ion)|reduc(?:ed|es|ing|tion)|"
    r"negative|minus|slid|dipped|plummeted|trimmed|lost|loss(?:es)?|crash(?:ed|es)?|"
    r"fined|penalty|penalties|impairment|baisse)\b"
    r"|下降|下滑|减少|降低|下跌|亏损|降价|下调|缩减|回落|降幅|跌幅|少赚|少賺|亏|虧|减|減|跌|降|縮|缩|挫|"
    r"便宜|罚|罰|流出|蒸发|蒸發|关闭|關閉|裁|低(?=[约約了]?\s*$)",
    re.I,
)
UP = re.compile(
    r"\b(?:rose|rise|rises|rising|grew|grow|grows|growing|growth|increas(?:ed|es|ing|e)|up|"
    r"upside|gain(?:ed|s)?|jump(?:ed|s)?|surg(?:ed|es)|climb(?:ed|s)?|soar(?:ed|s)?|"
    r"rais(?:ed|es|ing)|higher|boost(?:ed|s)?|expand(?:ed|s)?|added|profit|hausse|"
    r"rebound(?:ed|s)?)\b"
    r"|增长|上升|提升|上涨|增加|上调|提高|反弹|反彈|回升|收复|收復|扭亏|扭虧|盈利|多赚|多賺|增|升|涨|漲|高(?=[约約了出]?\s*$)",
    re.I,
)
# A word of direction just after the figure settles it ("a 7% dive", "15% upside"), also
# after the name of what moved ("a 10% revenue decline", "96% quarterly profit fall").
_MOVED = (
    r"(?:(?:year-(?:over|on)-year|yoy|y/y|quarterly|annual|operating|net|revenue|revenues|"
    r"sales|profits?|earnings|income|margins?|prices?|shares?|stock|shipments?|demand|"
    r"traffic|usage|costs?|spending|headcount|workforce|ad|advertising)\s+){0,2}"
)
DOWN_AFTER = re.compile(
    r"^\s*"
    + _MOVED
    + r"(?:decline|decrease|drop|fall|reduction|cut|lower|less|cheaper|loss|slump|contraction|"
    r"dive|discount|off|down(?!\s*payments?)|charge|fine|penalty|impairment|write-?down|"
    r"settlement)\b"
    r"|^\s*(?:의\s)?감소|^\s*(?:的)?(?:降幅|跌幅|减少|減少|下降|下跌|\S{0,6}罚单|\S{0,6}罚款|\S{0,6}罰款)",
    re.I,
)
UP_AFTER = re.compile(
    r"^\s*" + _MOVED + r"(?:increase|rise|jump|gain|growth|upside|surge|rally|higher|more)\b"
    r"|^\s*(?:的)?(?:增长|增幅)",
    re.I,
)
LEVEL = re.compile(
    r"(?:\bto|\bat|\bof|\bfrom|至|为|為|达到?|達到?|報|报)\s*(?:每股)?\s*$", re.I
)  # "fell to $3bn"
LEVEL_KINDS = frozenset(
    {
        "price_target",
        "eps",
        "users",
        "seats",
        "customers",
        "token_volume",
        "share",
        "price_per_million_tokens",
    }
)
LOSS = re.compile(r"\bloss(?:es)?\b|亏损|净亏|虧損|淨虧", re.I)
# Money lost right before the figure ("expects to lose $5 billion"); not what investors or
# customers lost, nor a market value's fall ("Tesla's market value lost $150 billion").
LOST_BEFORE = re.compile(
    r"(?<!investors )(?<!customers )(?<!users )(?<!shareholders )(?<!people )(?<!value )"
    r"(?<!cap )(?<!valuation )(?<!stock )(?<!shares )\blos(?:e|es|ing|t)\s+(?:about\s+|"
    r"around\s+|nearly\s+|roughly\s+|more than\s+|over\s+|some\s+)?$",
    re.I,
)
GUIDANCE = re.compile(
    r"\b(?:expects?|expected|expecting|forecasts?|forecasted|forecasting|guidance|guides?|"
    r"guided|outlook|projects?|projected|projecting|projections?|anticipates?|sees|plans? to|"
    r"aims? to|will reach|"
    r"consensus|estimates?|predicts?|predicted|predictions?|slated to|on track to|"
    r"(?<!price )targets?)\b"
    r"|预计|预期|指引|展望|有望|预测|預測|预告|預告|預計|預期|目标(?!价)|目標(?!價)"
    r"|将(?:达|超|降|增|升|突破|放缓|实现)|將(?:達|超|降|增|升|突破)",
    re.I,
)
# "beats estimates", "topped Wall Street's expectations", "missed the consensus": the
# estimate is what the reported figure is measured against, not a forecast the figure states
# ("beats estimates as revenue rises 11%": 11% happened). Matched on the text before the word.
BEATEN = re.compile(
    r"\b(?:beat|beats|beating|top|tops|topped|topping|miss|misses|missed|missing|exceed(?:s|ed|"
    r"ing)?|surpass(?:es|ed|ing)?|outpac(?:e|es|ed|ing)|ahead of|above|below|short of|"
    r"in line with|than|trail(?:s|ed|ing)?)\s+(?:[\w'’-]+\s+){0,3}$"
    r"|(?:超|不及|低于|高于|好于|差于|符合|超过|超出)(?:市场|分析师)?$",
    re.I,
)
# Analysts' estimate or consensus as the figure's own value, read on the clause before it
# ("beating analyst estimates of 29%", "the consensus of $1.10", 高于市场预期的3.2亿元) or just
# after it where a result is set against it ("$35.1 billion vs $33.1 billion expected",
# "above the $33.1 billion analysts expected").
_AS_VALUE = (  # ("topped estimates at $1.32" is the result: no "at")
    r"\s*(?:of|for|was|were|is|had been|stood at|called for|calls for|:|的|为|為|是)?\s*"
    r"(?:about|around|roughly|some|approximately|约|約)?\s*[\W_]*$"
)
_SET_AGAINST = (
    r"(?:vs\.?|versus|against|compared with|compared to|above|below|ahead of|short of|than|"
    r"beat|beats|beating|top|tops|topping|topped|miss|misses|missing|missed|exceed\w*)"
)
# Who estimates, then their word of estimate within a few words ("Analysts polled by LSEG
# expected"), never across the company's own words ("The CFO told analysts the company
# expects", "The Wall Street Journal said Nvidia expects").
_ESTIMATORS = (
    r"\b(?:analysts?|analysts'|analyst's|consensus|wall street(?!\s+journal)|the street|factset|"
    r"lseg|visible alpha|refinitiv|zacks|s&p global|economists)\b"
)
_NOT_THEIRS = r"(?!\b(?:company|firm|management|it|its|said|says|told|reported|reports)\b)"
ESTIMATE_BEFORE = re.compile(
    rf"(?:{_ESTIMATORS}(?:{_NOT_THEIRS}[\w\s'’-]){{0,30}}?"
    r"\b(?:estimates?|estimated|expectations?|forecasts?|forecast|consensus|projections?|"
    r"projected|expected)\b(?:\s+[\w'’-]+){0,3}?"
    r"|\bconsensus(?:\s+(?:estimates?|forecasts?|view))?\b"
    rf"|\b{_SET_AGAINST}\s+(?:the\s+)?(?:average\s+|mean\s+)?(?:estimates?|expected|estimated)\b"
    r"|(?:市场|市場)(?:一致)?(?:预期|預期)"
    r"|(?:分析师|分析師|华尔街|華爾街|机构|機構|一致)[^，。；,;\d]{0,6}?(?:预期|預期|预估|預估|预测|預測))"
    + _AS_VALUE,
    re.I,
)
# An `about` read off an estimate that names who estimates, not what ("analysts").
WHO_ESTIMATES = re.compile(
    r"analyst|consensus|estimate|expect|forecast|street|factset|lseg|预期|預期|分析师|分析師", re.I
)
ESTIMATE_AFTER = re.compile(
    r"^\s*(?:that\s+|which\s+)?(?:(?:analysts?|the street|wall street|economists)\s+"
    r"(?:had\s+)?(?:expected|estimated|forecast|anticipated|were expecting|polled)|"
    r"(?:expected|estimated|forecast)\s+by\s+(?:analysts?|the street|wall street|economists)\b|"
    r"(?:analysts'\s+|analyst\s+|street\s+)?consensus\b|"
    r"(?:expected|estimated)\b(?!\s+(?:by|in|for|to|from|at)\b))",
    re.I,
)
# ... the bare "expected" after a figure only where a result is set against it.
SET_AGAINST = re.compile(
    rf"\b{_SET_AGAINST}\s+(?:the\s+|an?\s+)?(?:[\w'’-]+\s+){{0,2}}$",
    re.I,
)
# ... unless the figure is the estimate's own value: "beat the consensus estimate of 93 cents".
VALUE_OF = re.compile(
    r"^\s*(?:of|for|was|were|is|had been|stood at|called for|calls for|:|的|为|為)?\s*"
    r"(?:about|around|roughly|some|approximately)?\s*[\W_]*$",
    re.I,
)
# "from $4.1 billion to $5.2 billion", "从10亿元增至15亿元": the word that opens the earlier
# value, searched in the window before a figure ...
FROM = re.compile(
    r"\bfrom\s+(?:an?\s+)?(?:year-earlier\s+|prior\s+|previous\s+)?"
    r"|[从由][^\d，。；、,;$€£¥+\-−]{0,8}?(?=[$€£¥+\-−]?\d)",  # 从此前的约3万韩元
    re.I,
)
# ... and what may stand between the earlier value and the figure: the other price of a pair
# ("$10/$40 to $2/$8"), a verb of change, "to" / 至 / 到, and what the figure is of
# ("下降至VR200的约51%").
FROM_TO = re.compile(
    r"^(?:\s*/\s*[$€£¥]?\s?\d[\d.,]*)?\s*(?:(?:a\s+)?(?:year|quarter)\s+(?:earlier|ago)\s*)?"
    r"(?:to|[\u4e00-\u9fff]{0,4}(?:至|到)(?:[^\d，。；,;]{0,8}的)?(?:约|近|超过?)?)\s*\+?$",
    re.I,
)
# A Chinese comparison told after the figure: "营收达3.99亿美元，较去年同期的5090万美元增长",
# "每股收益为24.46美元，而去年同期为每股1.68美元" (not an estimate: "高于预期的…").
PRIOR_CN = re.compile(  # matched at a position: no "^"
    r"[^。；;\d]{0,6}?(?:较|相比|相较于?|高于|低于|而)"
    r"(?:\d{4}年)?(?:去年同期|上年同期|去年|上年|此前|之前|上季度|上一季度|前一季度|上月|同期)"
    r"(?:的|[^\d，。；,;]{0,8}?(?:为|是))?\s*(?:约|近)?\s*(?=[$€£¥\-−]?\s?\d)"
)
ESTIMATE_CN = re.compile(r"预期|预估|预测|估计|共识|指引|目标")
PRIOR = re.compile(  # matched at a position: no "^"
    r"[^.;。；]{0,30}?\b(?:from|compared (?:with|to)|versus|vs\.?|against|up from|down from)\s+"
    r"(?:a\s+|an\s+)?(?:year-earlier\s+|prior\s+|previous\s+)?",
    re.I,
)
PERIODS = [  # (period, pattern): the comparison basis of a change, else what it covers
    ("year", r"annual(?:ly|ized)?|full[- ]year|fiscal(?: year)?|"
     r"\ba year\b(?! (?:earlier|ago|before))|per year|each year|every year|in one year|"
     r"\bin (?:fiscal )?20\d\d\b|this year|last year|"
     r"next year|全年|年度|年化|每年|财年|財年|(?<![上下半今去明])年[产產]|"
     rf"{A_YEAR}"),
    ("quarter", r"quarter|quarterly|\bq[1-4]\b|\b[1-4]q\b|sequential|(?:last|past) three months|"
     r"(?<!前三)季度|财季|財季|环比|單季|单季|四半期|"  # 前三季度: nine months, no period
     r"第\s?[一二三四1-4]\s?季|"
     r"\d{1,2}\s?[−~～-]\s?\d{1,2}\s?月期|분기"),
    ("half", r"half[- ]year|\bh[12]\b|first half|second half|上半年|下半年|半年|상반기|하반기"),
    ("month", r"per month|a month|each month|monthly|every month|\bmonth\b|每月|月均|月活|单月|"
     r"包月|\bmau\b"),
    ("week", r"per week|a week|each week|weekly|every week|每周|周活|\bwau\b"),
    ("day", r"per day|a day|each day|daily|every day|日均|每日|每天|日活|\bdau\b"),
    ("minute", r"per minute|a minute|each minute|每分钟"),
]  # fmt: skip
PERIOD = [(period, re.compile(pattern, re.I)) for period, pattern in PERIODS]
COMPARED = [  # what a change in % compares with, and over what it ran
    ("year", r"year[- ](?:over|on)[- ]year|\byoy\b|\by/y\b|from a year (?:ago|earlier)|"
     r"year-earlier|(?:last|past) (?:12|twelve) months|past year|than (?:in )?\d{4}|year to date|"
     r"过去(?:12|十二)个月|過去(?:12|十二)個月|过去一年|過去一年|"
     r"同比|按年|年增|年減|年减|年升|年跌|年比|前年|去年同期|上年同期|较上年|較上年|전년|"
     r"(?:than|from|over|compared (?:with|to)) last year(?!'s)|"
     r"(?:[较較比]|相[比较較])去年(?!\s?[\d一二三四五六七八九十]+\s?月|[^，,。；;]{0,6}?[高低][点點位])|"
     # a year-to-date change is a year's (docs/annotation-guideline.md, fifth round)
     r"year-to-date|\bytd\b|so far this year|since the (?:start|beginning) of (?:the )?"
     r"(?:fiscal |calendar )?year|年初至今|今年以来|今年以來|今年累计|今年累計|年内累计|年內累計"),
    ("quarter", r"quarter-(?:over|on)-quarter|\bqoq\b|\bq/q\b|sequential|环比|環比|按季|"
     r"(?:last|past) three months"),
    ("month", r"month-(?:over|on)-month|\bmom\b|\bm/m\b|past month|last month|"
     r"本月(?![\d一二三四五六七八九十初底末中]|[上下]旬)|单月|單月|月内|月內|月线|月線"),
    ("week", r"week-(?:over|on)-week|\bwow\b|this week|past week|last week|in a week|"
     rf"本[周週](?![一二三四五六日末])|单周|單周|当周|當周|(?<![{_CN_DIGITS}一几\d])周内|"
     rf"(?<![{_CN_DIGITS}一几\d])週內|(?<![前上下这這那])一[周週](?!年)"),
    ("day", r"\bon (?:mon|tues|wednes|thurs|fri)day\b|\btoday\b|yesterday|intra-?day|"
     r"\bin (?:morning|early|late|pre-?market|after-hours) trading|before the (?:market )?open|"
     r"当天|當天|今日|今天|当日|當日|昨天|昨日|隔夜|盘中|盤中|收盘|收盤|盘前|盤前|盘后|盤後|单日|單日|"
     r"周[一二三四五]|週[一二三四五]"),
]  # fmt: skip
COMPARED_AT = re.compile("|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(COMPARED)), re.I)
_PERCENT_FIGURE = r"\d[\d.,]*\s?(?:%|％|percent\b|per cent\b)"  # "12%", "1.5 percent"
# A year-to-date span that opens the figure's sentence, with no other figure between
# ("今年以来，ARM股价录得超20%的涨幅"; not "so far this year … up 40%, but it fell 5%"); or a
# move "since" a date or an event opening it, which has no span ("Since its IPO the stock has
# risen 60%", "Since January, Nvidia shares have climbed 40%").
SENTENCE_OPENS = re.compile(
    r"\s*(?:(?P<year>year[- ]to[- ]date|so far this year|年初至今|今年以来|今年以來)|"
    r"(?P<since>since\b|自))",
    re.I,
)
# 今年 or 年内 earlier in the figure's own clause ("股价年内已大涨86%", "它今年已经涨了超过300%"),
# not after another figure ("up 40% year-to-date") nor a part of the year (今年首日,
# 今年上半年, 今年第二季度) nor a plan (今年底前, 年内完成).
YEAR_TO_DATE = re.compile(
    r"(?<![%％\d])(?<![%％\d]\s)(?:year[- ]to[- ]date|so far this year|年初至今|"
    r"(?:年内|年內)(?![完实實交上推落])|"
    r"今年(?!\s?[\d一二三四五六七八九十]+\s?月|首|前|上半|下半|第|[一二三四1-4]季|[Qq]\d|底|春|夏|秋|冬|"
    r"初|公司|的|[^，,。]{0,8}(?:预计|有望|计划|將|将)))",
    re.I,
)
SENTENCE_END = re.compile(r"(?<!\.[A-Z])[.!?]\s|[。！？]")
# Where a clause turns from a share price to something else ("stock soars as revenue jumps").
TURN = re.compile(r"\b(?:as|while|after|with|on)\b|:|同时|同時|其中", re.I)
# Words after a share price's move that open its cause, whose period is not the move's
# ("AMD shares fell 10% after the company guided fourth-quarter revenue below estimates").
CAUSE = re.compile(r"\b(?:after|as|following|amid|because|despite|when|once)\b", re.I)
# ... but a span said outright is the move's, before or after its cause ("fell 20% in the
# week after the company cut its forecast", "dropped 12% amid concerns about AI spending
# over the past month").
MOVE_SPAN = re.compile(
    r"\b(?:(?:over|in|during)\s+the\s+(?:past|last)\s+|in\s+the\s+|this\s+)"
    r"(?P<period>week|month|quarter|year)\b|\b(?P<ytd>so far this year|year[- ]to[- ]date)\b",
    re.I,
)
PERCENT = re.compile(_PERCENT_FIGURE, re.I)
# Where the words after a figure stop being its own: the next figure, "and", "but", "while"
# ("rose 3% and are up 10% this week": the week is the 10%'s).
NEXT_FIGURE = re.compile(rf"{_PERCENT_FIGURE}|\b(?:and|but|while)\b|[而但且]", re.I)
# A change with no basis at all: a price target's upside, a move since a 52-week low or a
# peak, a run of several sessions.
UNSPANNED = re.compile(r"target|downside|upside|52-week|目标价|目標價", re.I)
# The same told in the figure's own clause ("自最高点下跌了27.4%", "股价累计下挫24%", "since
# its IPO").
UNSPANNED_CLAUSE = re.compile(
    r"\bsince\b|以来|以來|累计|累計|高点|高點|低点|低點|峰值|连续|連續|发行价|發行價|\bipo\b|"
    r"过去[一二三四五六七八九十两\d]+个?(?:月|周|週|交易日)|[几幾两\d]+天",
    re.I,
)
# "since" just after a figure ("60% since its IPO"), not further on ("8% to its highest
# close since 2021", a day's move).
UNSPANNED_AFTER = re.compile(
    r"\s*(?:since(?! the (?:start|beginning) of)|"
    r"from (?:its|their|the)(?:\s+[\w-]+){0,2}?\s+(?:lows?|highs?|peak)\b|"
    r"(?:of )?(?:upside|downside)|"
    r"上涨空间|上行空间)",
    re.I,
)
# A change of a share price or an index with no span of its own is a day's move.
STOCK = re.compile(
    r"(?<!per )(?<!\ba )\bshares?\b|\bstock\b|"
    r"股价|股價|现价|現價|指数|指數|沪指|深证|创业板|恒指|涨停|收涨|收跌|"
    r"美股|港股|A股|韩股|韓股|日股|股市|盘前|盤前|盘后|盤後|个股|個股|"
    r"\baktien?\b|株価",
    re.I,
)
# A market report's words of one trading session (a future's or a share's move: "截至收盘",
# "单日最大涨幅", "主力合约涨0.20%"), where no share word is named.
SESSION = re.compile(
    r"收盘|收盤|盘中|盤中|早盘|早盤|午盘|午盤|尾盘|尾盤|单日|單日|截至发稿|截至發稿|主力合约|主力合約|"
    r"\bintraday\b",
    re.I,
)
# A day named for a share's move, however large ("plunged 70% on the day", "in a single
# session"), beyond the day words of COMPARED, which have already given the move its day.
ONE_DAY = re.compile(r"\bon the day\b|\bsession\b|\b(?:mon|tues|wednes|thurs|fri)day\b", re.I)
# Money traded or flowing in a day's market report ("成交额达到21071亿", "净流入29.62亿").
TRADED = re.compile(r"成交|交易日|净流|淨流|涉资|涉資")
# A change in a company's results with no basis of its own compares with a year before.
RESULTS = re.compile(
    r"revenue|\bsales\b|income|profit|earnings|\beps\b|per share|营收|營收|收入|净利|淨利|凈利|"
    r"纯利|純利|利润|利潤|売上|純利益|매출|umsatz|chiffre d'affaires|résultat|crecimiento",
    re.I,
)
SPANS = frozenset({"year", "quarter", "half"})  # what a change can cover; not a rate per day
CLAUSE_END = re.compile(
    r"[.;!?。；！？]\s|[;。；！？，]|,(?=[^\d\s])|\band\b|\bwhile\b|\bbut\b|,\s(?=\D)", re.I
)
CJK = re.compile(r"[\u3400-\u9fff]")
SHARE = re.compile(
    r"\b(?:margin|share(?! price)|stake|percent of)\b|"
    r"占比|佔比|[毛净淨]利率|费用率|費用率|份额|份額|市占率",
    re.I,
)
# A percentage "of" a whole ("40% of customers", "86 per cent of laptops").
OF_WHOLE = re.compile(r"\s*of\s+(?!the year|a year)", re.I)
CLAUSE_MARK = re.compile(r"[.;。；,，]")
