"""Companies named in a document: alias and ticker hits, ambiguity, relevance."""

import re
from collections import defaultdict
from collections.abc import Iterable

from radar_reference import CompanyRecord, ReferenceData
from radar_schemas import EntityTag

from .matcher import Hit
from .text import Segment

# Words next to a common-word name ("Apple", "Unity", "Meta") that make it a company.
_AFTER = re.compile(
    r"^(?:'s|’s|\s+(?:inc|corp|corporation|co|ltd|plc|group|holdings|platforms|software|"
    r"technologies|shares?|stock|ceo|chief|executives?|said|says|reported|reports|announced|"
    r"announces|launched|launches|unveiled|unveils|released|releases|introduced|introduces|"
    r"debuted|debuts|raised|raises|signed|signs|agreed|agrees|partnered|partners|posted|beat|"
    r"missed|rose|fell|is\s+"
    r"(?:launching|rolling|planning)|\(\w+))\b",
    re.I,
)
_BEFORE = re.compile(
    r"\b(?:shares\s+of|stake\s+in|rival|rivals|firm|startup|start-up|company|companies|"
    r"maker|developer|owner|investors?\s+in|analysts?\s+at|partnership\s+with|deal\s+with|"
    r"acquired|acquire|acquisition\s+of|like|including|such\s+as|and|with|upgrades|"
    r"downgrades|upgraded|downgraded|initiates|initiated|rates|rated|reiterates|reiterated)\s+$",
    re.I,
)
# A publication cited as the source is not what the story is about.
_CITED_BEFORE = re.compile(r"\b(?:according\s+to|told|citing|reported\s+by)\s+(?:the\s+)?$", re.I)
_CITED_AFTER = re.compile(
    r"^\s+(?:(?:reports|reported|said|says)\s*[.,]?\s*$|(?:first\s+)?(?:reports|reported)"
    r"\s*,\s*citing\b)",
    re.I,
)
# A ticker with its exchange suffix is a ticker wherever it stands.
_SUFFIXED = re.compile(r"\d{4,6}\.(?:SZ|SS|SH|HK|T|KS|KQ|TW)", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")
# Words next to a Chinese name that is also an ordinary word (快手, 豆包) that make it a company.
_ZH_AFTER = re.compile(
    r"(?:公司|集团|股份|控股|科技|旗下|发布|宣布|推出|上线|股价|市值|财报|营收|收入|净利|业绩|"
    r"涨|跌|CEO|董事长|创始人|表示|称|的)"
)
_ZH_BEFORE = re.compile(r"(?:港股|美股|A股|、|与|和|及|据|旗下|龙头|巨头|公司)$")
_LISTED = re.compile(r"(?:,\s*|\band\s+)$")
_EXCHANGE = re.compile(r"(?:nasdaq|nyse|otc|\$)\s*:?\s*$", re.I)
_COMMON_TICKERS = frozenset(
    {"NOW", "HAS", "MAT", "PINS", "SHOP", "SNAP", "ALL", "ARM", "IQ", "XYZ"}
)


class EntityFinder:
    """Turns company hits into entity tags with relevance."""

    def __init__(self, reference: ReferenceData) -> None:
        self.companies = reference.by_id
        self._ambiguous = {c.id: {a.lower() for a in c.ambiguous} for c in reference.companies}

    @staticmethod
    def phrases(reference: ReferenceData) -> list[tuple[str, str, str]]:
        """Aliases and plain US tickers to register in the matcher."""
        out = [(alias, "company", c.id) for c in reference.companies for alias in c.aliases]
        out += [
            (ticker, "ticker", c.id)
            for c in reference.companies
            for ticker in c.tickers
            if (ticker.isalpha() and ticker.isupper()) or _SUFFIXED.fullmatch(ticker)
        ]
        return out

    def mentions(self, parts: list[tuple[Segment, list[Hit]]]) -> dict[str, list[Segment]]:
        """Company id -> the segments that name it (once per mention)."""
        found: dict[str, list[Segment]] = defaultdict(list)
        pending: list[tuple[str, Segment, bool]] = []  # common-word names, no local context
        for segment, hits in parts:
            names = _longest(h for h in hits if h.kind in ("company", "ticker"))
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

    def tags(self, found: dict[str, list[Segment]]) -> list[EntityTag]:
        """Relevance: prominent (headline, first sentence) and repeated names weigh more;
        a round-up naming many companies dilutes each (through its share of the mentions)."""
        total = sum(len(where) for where in found.values())
        tags = []
        for company_id, where in found.items():
            company: CompanyRecord = self.companies[company_id]
            prominent = any(s.first for s in where)
            repeated = min(1.0, (len(where) - 1) / 3)
            share = len(where) / total
            relevance = 0.35 * prominent + 0.2 * repeated + 0.2 + 0.45 * share
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
        surface = segment.text[hit.start : hit.end]
        before = segment.text[max(0, hit.start - 30) : hit.start]
        if _CITED_BEFORE.search(before) or _CITED_AFTER.match(segment.text[hit.end :]):
            return False
        if hit.kind == "ticker" and _SUFFIXED.fullmatch(surface):
            return True  # "300413.SZ", "0700.HK": nothing else is written so
        if hit.kind == "ticker":
            return surface.isupper() and (
                bool(_EXCHANGE.search(before))
                or (len(surface) >= 3 and surface not in _COMMON_TICKERS and not _shouting(segment))
            )
        if surface.lower() not in self._ambiguous[hit.key]:
            return True
        if _CJK.match(surface):  # Chinese has no capitals: the words around it decide
            after = segment.text[hit.end : hit.end + 6]
            before = segment.text[max(0, hit.start - 6) : hit.start]
            return True if _ZH_AFTER.match(after) or _ZH_BEFORE.search(before) else None
        if not surface[:1].isupper() or _shouting(segment):
            return False
        after = segment.text[hit.end : hit.end + 30]
        return True if _AFTER.search(after) or _BEFORE.search(before) else None


def _in_list(segment: Segment, hit: Hit, names: int) -> bool:
    """A name between commas among other company names ("Disney, DraftKings, Snowflake")."""
    before = segment.text[max(0, hit.start - 6) : hit.start]
    return names > 1 and (
        bool(_LISTED.search(before)) or segment.text[hit.end : hit.end + 1] == ","
    )


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
