"""Companies named in a document: alias and ticker hits, ambiguity, relevance."""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from radar_reference import CompanyRecord, ReferenceData
from radar_schemas import EntityTag

from .matcher import Hit
from .ratings import RATING_TERMS
from .text import Segment

# Words next to a common-word name ("Apple", "Unity", "Meta") that make it a company.
_AFTER = re.compile(
    r"^(?:'s|’s|\s+(?:inc|corp|corporation|co|ltd|plc|group|holdings|platforms|software|"
    r"technologies|shares?|stock|ceo|chief|executives?|said|says|reported|reports|announced|"
    r"announces|launched|launches|unveiled|unveils|released|releases|introduced|introduces|"
    r"debuted|debuts|raised|raises|signed|signs|agreed|agrees|partnered|partners|posted|beat|"
    r"missed|rose|fell|rolls|rolled|plunges|plunged|soars|soared|jumps|jumped|slides|slid|"
    r"surges|surged|sinks|sank|tumbles|tumbled|climbs|climbed|drops|dropped|falls|"
    r"comes\s+up|touts|touted|cloud|continues|killed|kills|sues|sued|is\s+(?:\w+ing|known)|"
    r"upgrades|upgraded|downgrades|downgraded|starts|initiates|initiated|lowers|lowered|cuts|"
    r"reiterates|reiterated|maintains|analysts?|securities|research|capital|slashed|slashes|"
    r"trims|trimmed|lifts|lifted|hikes|hiked|app|apps|researchers|engineers|employees|"
    r"spokesperson|spokesman|spokeswoman|shareholders|"
    # a company's verb in a headline: "Apple Warns Employees ..." (not the verbs of a film, a
    # place or a test: "Oppenheimer made", "North Sea faces", "Benchmark tests show")
    r"warns|warned|plans|planned|bets|buys|bought|hires|hired|delays|delayed|cancels|"
    r"reveals|revealed|confirms|confirmed|denies|denied|invests|invested|acquires|acquired|"
    r"settles|settled|lays\s+off|"
    r"\(\w+))\b",
    re.I,
)
_BEFORE = re.compile(
    r"\b(?:shares\s+of|stake\s+in|rival|rivals|firm|startup|start-up|company|companies|"
    r"\w*maker|developer|owner|investors?\s+in|analysts?\s+at|partnership\s+with|deal\s+with|"
    r"platform|giant|lab|at|by|"
    r"acquired|acquire|acquisition\s+of|like|including|such\s+as|and|with|upgrades|"
    r"downgrades|upgraded|downgraded|initiates|initiated|rates|rated|reiterates|reiterated)\s+$",
    re.I,
)
# A publication cited as the source is not what the story is about.
_CITED_BEFORE = re.compile(
    r"\b(?:according\s+to|told|citing|reported\s+by|per)\s+(?:the\s+)?$"
    r"|\b(?:reports|says|said)\s+the\s+$"
    r"|\bvia\s+(?:the\s+)?(?:\S+\s+and\s+)?$"
    # a research firm as the source of a figure ("a new study by analytics firm UBS")
    r"|\b(?:study|survey|report|data|analysis|estimates?|figures)\s+(?:by|from)\s+"
    r"(?:[\w-]+\s+){0,2}$"
    # a picture's credit: "(Brook Mitchell/Getty Images)", "Photo: Reuters"
    r"|\([^()/]{0,40}/\s?$|©\s*$"
    r"|\b(?:photo|photograph|image|picture|illustration)s?(?:\s+credit)?\s*:\s*(?:[^/:]{0,40}/\s?)?$",
    re.I,
)
# A company named as what another is measured against ("South Korean startup rival to Nvidia",
# "Duolingo rival Preply", "looks to rival Nvidia", 对标英伟达): named, not the subject.
_MEASURED_BEFORE = re.compile(
    # "rival OpenAI said" is OpenAI acting, named as a rival: not measured against
    r"(?:\b(?:rivals?\s+(?:to|of)|to\s+rival|rivall?ing|competitors?\s+(?:to|of)|compet(?:e|es|ing)\s+"
    r"with|challengers?\s+to|tak(?:e|es|ing)\s+on|alternatives?\s+to|answer\s+to|catch\s+up\s+"
    r"(?:with|to))\s+(?:the\s+)?|(?:对标|對標|比肩|叫板|追赶|追趕|媲美))$",
    re.I,
)
_MEASURED_AFTER = re.compile(
    r"^(?:(?:'s|’s)?[\s-]+(?:rivals?|competitors?|challengers?|killer|alternative)\b"
    r"|(?:的)?(?:竞争对手|競爭對手|对手|對手|平替))",
    re.I,
)
MEASURED_RELEVANCE = 0.1  # below a card's 0.3: a company only measured against is not shown
# A company that brings a suit ("Disney, NBCU Sue AI Image Generator Midjourney", "Reddit sues
# Anthropic", 纽约时报起诉OpenAI): what the story says goes against the one it sues, not
# against it. Its sectors still count; a card leaves it out.
# (matched at the end of the name: other names of a list may come between, each capitalised;
# a Chinese list item holds no separator, no 被/遭 of the passive and no other clause)
# A suit as what is filed: "a copyright infringement lawsuit", "lawsuits"; not "filed to
# dismiss the lawsuit", "filed a response to the lawsuit", "filed an appeal".
_SUIT = (
    r"(?:an?\s+)?(?:(?:copyright|patent|trademark|antitrust|privacy|defamation|class[- ]action|"
    r"infringement|federal|civil|new|separate|joint|second)\s+){0,3}(?:law)?suits?"
)
_SUES = re.compile(
    r"(?:\s*(?:,|and|&)\s*[A-Z0-9][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})*\s+"
    r"(?i:(?:has\s+|have\s+)?(?:(?:sues?|suing|sued(?!\s+(?:by|in|over|on|for|after|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
    r"may|june|july|august|september|october|november|december)\b)(?=\s+(?-i:[A-Z])|\s+the\b))"
    rf"|(?:files?|filed|filing)\s+{_SUIT}"
    r"|(?:takes?|took|taking)\s+legal\s+action"
    r"|(?:are|is|was|were|became)\s+(?:among\s+)?the\s+first\b[^.;]{0,60}?\bto\s+"
    rf"(?:file|bring)\s+{_SUIT}))\b"
    r"|(?:、[^、和与與及被遭\s，。；：,;]{1,12}?)*(?:起诉|起訴|状告|狀告)"
)
_SUED = re.compile(
    r"\b(?:sue[sd]?|suing|against|accuses?|accused)\s+(?:the\s+)?$|(?:起诉|起訴|状告|狀告)$", re.I
)
PLAINTIFF_RELEVANCE = 0.2  # above MEASURED_RELEVANCE (its sectors count), below a card's 0.3
# A sentence that rates a stock ("Morgan Stanley downgrades Adobe to underweight", "Goldman
# Sachs raised its price target on Nvidia", 高盛上调英伟达目标价): the broker or bank the
# product does not watch, named there before its verb of rating or as the analysts' firm and
# before another company, and nowhere else, is the one that rates, not what the story is
# about; it gets a plaintiff's relevance (off the cards). The company rated keeps its own,
# watched or not ("Mizuho downgrades Qualcomm", 中信证券维持贵州茅台买入评级).
_RATES = re.compile(
    rf"{RATING_TERMS}|\b(?:rating|ratings|coverage|reiterat\w*)\b|"
    r"\b(?:up|down)grad(?:e|es|ed|ing)\b|\b(?:overweight|underweight|outperform|underperform|"
    r"equal[- ]weight)\b|首予|首次覆盖",
    re.I,
)
_RATER_AFTER = re.compile(
    r"(?:'s|’s)?\s*(?:analysts?\b|(?:[\w.-]+\s+){0,2}?(?:(?:up|down)grad(?:e|es|ed|ing)|"
    r"rais(?:e|es|ed|ing)|lift(?:s|ed)?|cut(?:s)?|lower(?:s|ed)?|trim(?:s|med)?|boost(?:s|ed)?|"
    r"reiterat\w*|maintain(?:s|ed)?|initiat\w*|start(?:s|ed)?|assign(?:s|ed)?|rates?|rated|"
    r"reaffirm\w*|resum\w*|reinstat\w*)\b)"
    r"|\s*(?:维持|上调|下调|给予|首予|首次覆盖|重申|将)",  # (matched from the name's end)
    re.I,
)
_RATER_BEFORE = re.compile(r"\banalysts?\s+(?:at|from|with)\s+$", re.I)
# "ChatGPT-style bots" describe a kind of product, not the company behind the name.
_KIND_OF = re.compile(r"^-(?:style|like|esque|type)\b", re.I)
# "本文来自微信公众号": a WeChat account as the source of a reposted article.
_ZH_SOURCE = re.compile(r"^(?:公众号|公眾號|号|號)")
_CITED_AFTER = re.compile(
    r"^\s+(?:(?:reports|reported|said|says)\s*[.,]?\s*$"
    # a quoted report: "The New York Times reports: Another initiative ..." (Slashdot's form)
    r"|(?:reports|reported|writes|wrote)\s*:"
    r"|(?:first\s+)?(?:reports|reported)\s*,\s*citing\b"
    # a news story, not results: "after The Wall Street Journal reported that the U.S. ..."
    r"|(?:first\s+|previously\s+|has\s+|had\s+)?reported\s+(?:that|earlier|last\s+\w+|"
    r"on\s+\w+day|this\s+(?:week|month))\b)",
    re.I,
)
# A ticker with its exchange suffix is a ticker wherever it stands.
_SUFFIXED = re.compile(r"\d{4,6}\.(?:SZ|SS|SH|HK|T|KS|KQ|TW)", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")
# Chinese characters or Chinese punctuation ("Alphabet、Meta、微软", "（Meta）").
_CJK_TEXT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# A capitalised name after a lower-case word, not the first of a hyphenated word or of a
# longer name or of a place's ("joins Apple in"; not "Meta-analysis", "South China Sea",
# "the Sea of Japan", "its Susquehanna nuclear plant").
_LOWER_WORD_BEFORE = re.compile(r"(?:^|\s)[a-z]+\s+$")
# A capitalised word right before a common-word name makes it the end of a longer name
# ("North Sea", "Times Square", "Red Sea"), unless the word opens a question or a clause.
_PART_OF_A_NAME = re.compile(
    r"(?:^|\s)(?!(?:As|When|After|Why|How|Will|Can|Does|Is|Did|Should|Could|If|But|So|And|Now)\s)"
    r"[A-Z][a-z]+\s+$"
)
_NAME_GOES_ON = re.compile(
    r"^(?:-|\s+(?:of\s+)?[A-Z]|\s+(?:nuclear|power|plant|river|county|valley|station)\b)"
)
# Words next to a Chinese name that is also an ordinary word (快手, 豆包) that make it a company.
_ZH_AFTER = re.compile(
    r"(?:公司|集团|集團|股份|控股|科技|旗下|发布|發布|發佈|宣布|宣佈|推出|上线|上線|股价|股價|"
    r"市值|财报|財報|营收|營收|收入|净利|淨利|业绩|業績|迎来|迎來|赚|賺|涨|漲|跌|低开|低開|"
    r"高开|高開|现价|現價|CEO|董事长|董事長|创始人|創始人|表示|称|稱|的|[(（]\d|[:：]|"
    # a company's period or rating: 寒武纪一季度营收, 将寒武纪评级下调至持有
    r"[一二三四]季度|上半年|前三季度|全年|年报|年報|季报|季報|中报|中報|半年报|半年報|评级|評級|目标价|目標價|"
    # its AI business: 寒武纪AI芯片收入, 快手AI
    r"AI|芯片|晶片|大模型|算力)"
)
_ZH_BEFORE = re.compile(
    r"(?:港股|美股|A股|、|与|與|和|及|据|據|旗下|龙头|龍頭|巨头|巨頭|公司|第一股|概念股)$"
)
# (in Chinese, the enumeration comma 、 alone: "，" and 和 join clauses and ordinary words too,
# "AI正处于它的寒武纪，英伟达…", "小米和大米")
_LISTED = re.compile(r"(?:[,、]\s*|\band\s+|&\s*)$")
_LISTED_AFTER = re.compile(r"^(?:[,、]|\s+(?:and|&)\s)")
_EXCHANGE = re.compile(r"(?:nasdaq|nyse|otc|\$)\s*:?\s*$", re.I)
_COMMON_TICKERS = frozenset(
    {"NOW", "HAS", "MAT", "PINS", "SHOP", "SNAP", "ALL", "ARM", "IQ", "XYZ", "APP", "NET", "KEY"}
    | {"PATH", "APPS", "TEAM", "FIG"}
)
_NAME_KINDS = frozenset({"company", "ticker"})
# Tickers that are everyday words or letters ("AI", "C"): never registered bare.
_NEVER_BARE = frozenset({"AI", "C"})


class EntityFinder:
    """Turns company hits into entity tags with relevance."""

    def __init__(self, reference: ReferenceData) -> None:
        self.companies = reference.by_id
        self._ambiguous = {
            c.id: {a.lower() for a in c.ambiguous_spellings} for c in reference.companies
        }

    @staticmethod
    def phrases(reference: ReferenceData) -> list[tuple[str, str, str]]:
        """Aliases and plain US tickers to register in the matcher."""
        out = [(alias, "company", c.id) for c in reference.companies for alias in c.spellings]
        out += [
            (ticker, "ticker", c.id)
            for c in reference.companies
            for ticker in c.tickers
            if (ticker.isalpha() and ticker.isupper() and ticker not in _NEVER_BARE)
            or _SUFFIXED.fullmatch(ticker)
        ]
        return out

    def mentions(self, parts: list[tuple[Segment, list[Hit]]]) -> dict[str, list[Segment]]:
        """Company id -> the segments that name it (once per mention)."""
        found: dict[str, list[Segment]] = defaultdict(list)
        pending: list[tuple[str, Segment, bool]] = []  # common-word names, no local context
        for segment, hits in parts:
            names = [h for h in hits if h.kind in _NAME_KINDS]
            if not names:
                continue  # most sentences
            if len(names) > 1:
                names = _longest(names)
            for hit in names:
                verdict = self._verdict(hit, segment)
                if verdict is True:
                    found[hit.key].append(segment)
                elif verdict is None:
                    pending.append((hit.key, segment, _in_list(segment, hit, len(names))))
        for company_id, segment, listed in pending:
            # "Meta" after "Meta Platforms" is the company; so is a name in a list of companies
            if company_id in found or (listed and any(segment in w for w in found.values())):
                found[company_id].append(segment)
        return found

    def measured_against(
        self, parts: list[tuple[Segment, list[Hit]]], found: dict[str, list[Segment]]
    ) -> frozenset[str]:
        """The companies every mention of which names them as what another is measured
        against ("rival to Nvidia"): entities, never the subject."""
        measured: set[str] = set()
        plain: set[str] = set()
        for segment, hit in _named(parts, found):
            before = segment.text[max(0, hit.start - 30) : hit.start]
            after = segment.text[hit.end : hit.end + 20]
            against = _MEASURED_BEFORE.search(before) or _MEASURED_AFTER.match(after)
            (measured if against else plain).add(hit.key)
        return frozenset(measured - plain)

    def plaintiffs(
        self, parts: list[tuple[Segment, list[Hit]]], found: dict[str, list[Segment]]
    ) -> frozenset[str]:
        """The companies named as bringing a suit against another and never as the one
        sued: the story's direction is not theirs."""
        suing: set[str] = set()
        sued: set[str] = set()
        for segment, hit in _named(parts, found):
            if _SUED.search(segment.text[max(0, hit.start - 20) : hit.start]):
                sued.add(hit.key)
            elif _SUES.match(segment.text, hit.end, hit.end + 120):
                suing.add(hit.key)
        return frozenset(suing - sued)

    def raters(
        self, parts: list[tuple[Segment, list[Hit]]], found: dict[str, list[Segment]]
    ) -> frozenset[str]:
        """The unwatched companies (brokers, banks) named only as the one that rates another
        company in a sentence of ratings: the ones that rate, not the ones rated."""
        rating: set[str] = set()
        other: set[str] = set()
        for segment, hits in parts:
            named = [h for h in hits if h.kind in _NAME_KINDS and h.key in found]
            unwatched = [h for h in named if not self.companies[h.key].watched]
            if not unwatched:
                continue
            text = segment.text
            rates = bool(_RATES.search(text))
            later = _LaterNames(named)
            for hit in unwatched:
                rater = (
                    rates
                    and later.other_than(hit.key, hit.end)
                    and bool(
                        _RATER_AFTER.match(text, hit.end, hit.end + 40)
                        or _RATER_BEFORE.search(text[max(0, hit.start - 20) : hit.start])
                    )
                )
                (rating if rater else other).add(hit.key)
        return frozenset(rating - other)

    def subjects(self, found: dict[str, list[Segment]]) -> set[str]:
        """Companies named up front (headline, first sentence), among those the product
        watches: a broker rating a stock or a bank cited in a headline is an entity, but the
        story is not about its business."""
        return {
            company_id
            for company_id, where in found.items()
            if self.companies[company_id].watched and any(s.first for s in where)
        }

    def tags(
        self,
        found: dict[str, list[Segment]],
        measured: frozenset[str] = frozenset(),
        plaintiffs: frozenset[str] = frozenset(),
    ) -> list[EntityTag]:
        """Relevance: prominent (headline, first sentence) and repeated names weigh more;
        a round-up naming many companies dilutes each (through its share of the mentions);
        a company only measured against ("rival to Nvidia") is barely relevant, one that
        sues another or rates it little (`plaintiffs`: see `plaintiffs`, `raters`)."""
        total = sum(len(where) for where in found.values())
        tags = []
        for company_id, where in found.items():
            company: CompanyRecord = self.companies[company_id]
            prominent = any(s.first for s in where)
            repeated = min(1.0, (len(where) - 1) / 3)
            share = len(where) / total
            relevance = 0.35 * prominent + 0.2 * repeated + 0.2 + 0.45 * share
            if company_id in measured:
                relevance = MEASURED_RELEVANCE
            elif company_id in plaintiffs:
                relevance = min(relevance, PLAINTIFF_RELEVANCE)
            tags.append(
                EntityTag(
                    entity_id=company.id,
                    name=company.name,
                    relevance=round(min(1.0, relevance), 3),
                    sectors=tuple(company.sectors),
                )
            )
        return sorted(tags, key=lambda t: -t.relevance)

    def _verdict(self, hit: Hit, segment: Segment) -> bool | None:
        """True: a company. False: not one. None: a common word, a company only if the
        document also names it unambiguously."""
        if is_plain_word(segment, hit):
            return False  # most ticker hits: decided without reading around them
        surface = segment.text[hit.start : hit.end]
        before = segment.text[max(0, hit.start - 30) : hit.start]
        after = segment.text[hit.end :]
        if _cited(before, surface, after) or _KIND_OF.match(after):
            return False
        if hit.kind == "ticker" and _SUFFIXED.fullmatch(surface):
            return True  # "300413.SZ", "0700.HK": nothing else is written so
        if hit.kind == "ticker":
            return surface.isupper() and (
                bool(_EXCHANGE.search(before))
                or (len(surface) >= 3 and surface not in _COMMON_TICKERS and not _shouting(segment))
            )
        if _CJK.match(surface) and _ZH_SOURCE.match(after):
            return False
        if surface.lower() not in self._ambiguous[hit.key]:
            return True
        if _CJK.match(surface):
            return _chinese_verdict(hit, segment)
        if not (surface[:1].isupper() or _whispering(segment)) or _shouting(segment):
            return False
        after = segment.text[hit.end : hit.end + 30]
        if _PART_OF_A_NAME.search(before):
            return None  # "North Sea faces", "Times Square opens": a longer name's last word
        if _AFTER.search(after) or _BEFORE.search(before):
            return True
        # A capitalised Latin name written against Chinese characters or punctuation
        # ("施压Meta，", "Meta正探索", "Alphabet、Meta、微软"): a brand in Chinese text,
        # never the English word.
        if _CJK_TEXT.match(before[-1:]) or _CJK_TEXT.match(after[:1]):
            return True
        # Capitalised in the middle of a sentence, after a lower-case word: a proper name
        # ("CNN sues Perplexity", "joins Apple in"); a headline in title case has none.
        mid_sentence = _LOWER_WORD_BEFORE.search(before) and not _NAME_GOES_ON.match(after)
        return True if mid_sentence and surface[:1].isupper() else None


class _LaterNames:
    """Whether a sentence names a company other than a given one from a position on, asked
    for every name of it in constant time (a sentence of many names took a pass over them
    all for each)."""

    def __init__(self, named: list[Hit]) -> None:
        last = max(named, key=lambda h: h.start, default=None)
        self.last_key = last.key if last else ""
        self.last_start = last.start if last else -1
        # the latest start of a name other than the latest one's company
        self.other_start = max((h.start for h in named if h.key != self.last_key), default=-1)

    def other_than(self, key: str, position: int) -> bool:
        start = self.other_start if key == self.last_key else self.last_start
        return start >= position


def _named(
    parts: list[tuple[Segment, list[Hit]]], found: dict[str, list[Segment]]
) -> Iterator[tuple[Segment, Hit]]:
    """Each hit of a name of a company the document names, with its segment."""
    for segment, hits in parts:
        for hit in hits:
            if hit.kind in _NAME_KINDS and hit.key in found:
                yield segment, hit


def is_plain_word(segment: Segment, hit: Hit) -> bool:
    """A ticker hit written in lower case that is no exchange code ("has", "now"): never a
    company, whatever stands around it (what `_verdict` says of it, without the context)."""
    surface = segment.text[hit.start : hit.end]
    return hit.kind == "ticker" and not surface.isupper() and not _SUFFIXED.fullmatch(surface)


def _chinese_verdict(hit: Hit, segment: Segment) -> bool | None:
    """Chinese has no capitals: the words around a name decide."""
    after = segment.text[hit.end : hit.end + 7].lstrip()  # "寒武纪 一季度营收"
    before = segment.text[max(0, hit.start - 6) : hit.start]
    return True if _ZH_AFTER.match(after) or _ZH_BEFORE.search(before) else None


def _cited(before: str, surface: str, after: str) -> bool:
    """A publication named as the source ("according to Reuters", "reports The New York
    Times", "Bloomberg reported, citing ...")."""
    if surface.lower().startswith("the "):  # "reports The New York Times": the article's
        before += "the "  # "The" is inside the name
    return bool(_CITED_BEFORE.search(before) or _CITED_AFTER.match(after))


def _in_list(segment: Segment, hit: Hit, names: int) -> bool:
    """A name between commas among other company names ("Disney, DraftKings, Snowflake")."""
    before = segment.text[max(0, hit.start - 6) : hit.start]
    return names > 1 and (
        bool(_LISTED.search(before)) or bool(_LISTED_AFTER.match(segment.text[hit.end :]))
    )


def _whispering(segment: Segment) -> bool:
    """An all lower-case headline ("jmp securities upgrades snap to outperform"): a name
    without its capital still counts when the words around it say company."""
    return not any(c.isupper() for c in segment.text)


def _shouting(segment: Segment) -> bool:
    letters = [c for c in segment.text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _longest(hits: Iterable[Hit]) -> list[Hit]:
    """Drop names inside a longer name ("Activision" in "Activision Blizzard")."""
    out: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.start - h.end)):
        if not (out and hit.start < out[-1].end):
            out.append(hit)
    return out
