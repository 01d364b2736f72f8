"""Event cards: one real-world event as a person reads it. Pure.

A card is built from a tagged document (or a sector's figures, or an earnings report) and
merged with the cards of later sources of the same event: companies, key figures, every
source with its title, link and time, the quoted evidence, why it matters now, and how many
independent sources confirm it.
"""

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from urllib.parse import urlsplit

from radar_reference import CompanyRecord, ReferenceData
from radar_reference.hanzi import traditional_spellings
from radar_schemas import DocumentTagged, EntityTag, Polarity, Quantity, Sector, Severity, Theme
from radar_schemas.alerts import CardCompany, CardFigure, CardSource, EventCard

MAX_SOURCES = 20
MAX_FIGURES = 8
MAX_COMPANIES = 6
_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}
_ARROW = {Polarity.POSITIVE: "▲", Polarity.NEGATIVE: "▼", Polarity.NEUTRAL: "•"}
_DIRECTION = {Polarity.POSITIVE: "positive", Polarity.NEGATIVE: "negative", Polarity.NEUTRAL: ""}
_CURRENCY = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥"}
_SCALES = ((1e15, " quadrillion"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
# A change's period: "year" is a change on a year before or over the year to date (annotation
# guideline §6 and its fifth round); a change "in the quarter" may be on the quarter before or
# on a year before, so it says no more.
# "On the year" reads right for both ("revenue up 24% on the year", "shares up 150% on the
# year").
_PERIODS = {"year": "on the year", "month": "on the month", "week": "on the week"}
# How a kind reads on a card: a percentage change may be a cut in time or price, so not
# "growth"; abbreviations in capitals.
_KIND_WORDS = {"growth": "change", "eps": "EPS", "arr": "ARR", "token_volume": "token volume"}
# What a figure measures, as Chinese text names it, in the card's English: the commonest
# measures of the labelled Chinese news (about three in four of their figures). A word that
# names no measure (一度 "at one point", 日内 "intraday", 累计 "in all") gives way to the kind.
_ABOUT_ENGLISH = {
    "股价": "shares", "价格": "price", "营收": "revenue", "收入": "revenue", "总收入": "revenue",
    "营业收入": "revenue",
    "利润": "profit", "净利润": "net profit", "归母净利润": "net profit attributable",
    "扣非净利润": "net profit excluding one-offs", "毛利": "gross profit",
    "毛利率": "gross margin", "市值": "market value", "估值": "valuation", "融资": "funding",
    "募资": "funding", "成本": "cost", "投资": "investment", "投入": "investment",
    "支出": "spending", "成交额": "turnover", "销量": "sales volume", "出货量": "shipments",
    "市场规模": "market size", "现金流": "cash flow", "每股收益": "EPS", "用户": "users",
    "用户数": "users", "日活": "daily active users", "月活": "monthly active users",
    "调用量": "calls", "订单": "orders", "合同": "contracts", "票房": "box office",
    "流水": "gross billings", "罚款": "fine", "补贴": "subsidy", "资金": "funds",
    "沪指": "Shanghai Composite", "深成指": "Shenzhen Component", "深证成指": "Shenzhen Component",
    "创业板指": "ChiNext", "创业板": "ChiNext", "恒指": "Hang Seng", "恒生指数": "Hang Seng",
    "恒科指": "Hang Seng Tech", "恒生科技指数": "Hang Seng Tech", "纳指": "Nasdaq",
    "道指": "Dow", "费城半导体指数": "Philadelphia Semiconductor index",
    "广告收入": "advertising revenue", "广告": "advertising", "云收入": "cloud revenue",
    "游戏收入": "games revenue", "净利": "net profit", "营业利润": "operating profit",
    "经营利润": "operating profit", "资本开支": "capex", "资本支出": "capex",
    "一度": None, "日内": None, "累计": None, "按年": None,
}  # fmt: skip
# ... and as Hong Kong and Taiwan news writes them (營收, 淨利潤, 股價)
_ABOUT_ENGLISH |= {
    spelled: english
    for chinese, english in list(_ABOUT_ENGLISH.items())
    for spelled in traditional_spellings(chinese)
}


THEME_NAMES = {
    Theme.AI_MARKETING: "AI marketing",
    Theme.AI_GAMING: "AI gaming",
    Theme.AI_FILM_TV: "AI film/TV",
    Theme.AI_IP: "AI+IP",
    Theme.TOKEN_USAGE: "token usage",
    Theme.INFERENCE_COST: "inference cost",
    Theme.AI_REVENUE: "AI revenue",
    Theme.ENTERPRISE_ADOPTION: "enterprise adoption",
    Theme.ANALYST_RATING: "analyst rating",
    Theme.EARNINGS_RESULT: "earnings",
    Theme.AI_HARDWARE: "AI hardware",
    Theme.AI_REGULATION: "AI regulation",
    Theme.AI_AGENTS: "AI agents",
}


SECTOR_NAMES = {
    Sector.MARKETING: "Marketing",
    Sector.GAMING: "Gaming",
    Sector.FILM_TV: "Film & TV",
    Sector.IP_MEDIA: "IP & media",
    Sector.AI_INFRA: "AI infrastructure",
    Sector.ENTERPRISE_SOFTWARE: "Enterprise software",
}


def sector_name(sector: Sector) -> str:
    """How a person calls a sector: ``AI infrastructure``, ``Film & TV``."""
    return SECTOR_NAMES.get(sector, sector.value.replace("_", " "))


def theme_name(theme: Theme) -> str:
    """How a person calls a theme: ``AI+IP``, ``token usage``."""
    return THEME_NAMES.get(theme, theme.value.replace("_", " "))


def rank(severity: Severity) -> int:
    """info < warning < critical."""
    return _RANK[severity]


def stamp(at: datetime | None, card: EventCard | None = None, seconds: bool = False) -> str:
    """An event time as a person reads it, UTC; the day alone when the card's source gave
    no time (an earnings calendar's date is not a release at midnight)."""
    if at is None:
        return "undated"
    if card is not None and card.day_only and at.time() == time(0) and not at.utcoffset():
        return f"{at:%Y-%m-%d} (day only)"
    return at.strftime("%Y-%m-%d %H:%M:%SZ" if seconds else "%Y-%m-%d %H:%MZ")


_REPEATED = "still firing since {since}: "
_UPDATED = "update: "
# Either prefix, read back from the same two templates (the time stands for "{since}").
_NOTICE = re.compile(
    "^(?:"
    + re.escape(_REPEATED).replace(re.escape("{since}"), ".+?")
    + "|"
    + re.escape(_UPDATED)
    + ")"
)


def repeated(summary: str, since: str) -> str:
    """A repeat notification's summary: ``still firing since 2026-11-20 09:40Z: …``."""
    return _REPEATED.format(since=since) + summary


def updated(summary: str) -> str:
    """A card's update: ``update: …`` (a new independent source or a higher severity)."""
    return _UPDATED + summary


def unnoticed(summary: str) -> str:
    """The summary without what a repeat or an update says of itself (a list of alerts
    shows each once, with its start)."""
    return _NOTICE.sub("", summary, count=1)


def arrow(polarity: Polarity) -> str:
    """▲ positive, ▼ negative, • neutral."""
    return _ARROW[polarity]


@dataclass(frozen=True)
class CardPolicy:
    """How a card's severity follows its confirmation."""

    base: Severity = Severity.INFO
    warning_sources: int = 2
    critical_sources: int = 3


def severity(card: EventCard, policy: CardPolicy) -> Severity:
    """``base`` for one source; warning from ``warning_sources`` independent sources or one
    source stating a figure of a company on the card; critical from ``critical_sources``
    (never from one document)."""
    found = policy.base
    if card.confirmations >= policy.warning_sources or own_figure(card):
        found = max(found, Severity.WARNING, key=rank)
    if card.confirmations >= max(2, policy.critical_sources):
        found = Severity.CRITICAL
    return found


def own_figure(card: EventCard) -> bool:
    """Whether the card states a figure of one of its companies ("outlook bookings -12%
    [TTWO]"), not only one of no company or of another ("80% of projects", a partner's
    revenue): out of fold, cards with such a figure were right 69.7% of the time, those
    whose figures belong to no company on them 50%."""
    named = {c.entity_id for c in card.companies}
    return any(f.company in named for f in card.figures if f.company and not f.consensus)


# -- numbers in words -------------------------------------------------------------------


def amount(value: float, unit: str) -> str:
    """``$58.1B``, ``1.3 quadrillion tokens``, ``+24%``, ``0.40 USD``."""
    if unit == "percent":
        return f"{value:+.3g}%"
    sign, size = ("-" if value < 0 else ""), abs(value)
    for scale, suffix in _SCALES:
        if size >= scale:
            number = f"{size / scale:.3g}{suffix}"
            break
    else:
        number = f"{size:.2f}" if size < 100 and size != int(size) else f"{size:,.0f}"
    symbol = _CURRENCY.get(unit)
    if symbol:
        return f"{sign}{symbol}{number}"
    # A bare count says its unit in its kind ("count 13", not "count 13 count").
    return f"{sign}{number} {unit}" if unit and unit != "count" else f"{sign}{number}"


def _change(value: float, prior: float) -> str:
    if prior == 0 or math.copysign(1, value) != math.copysign(1, prior):
        return ""
    return f" ({(value - prior) / abs(prior) * 100:+.0f}%)"


def figure_text(figure: CardFigure) -> str:
    """One figure in words: ``revenue $58.1B (quarter, META)``, ``change +24% on the
    year`` (``advertising revenue +24% …`` when the text says what changed), ``40% of
    customers``, ``funding $750M``, ``17 authors``, ``price target $548, from $320 (+71%)``,
    ``EPS $1.32 vs $1.10 expected``."""
    kind = _KIND_WORDS.get(figure.kind, figure.kind.replace("_", " "))
    about = _ABOUT_ENGLISH.get(figure.about, figure.about) if figure.about else None
    if about and figure.kind in ("growth", "amount"):  # "advertising revenue +25%"
        kind = about
    value = amount(figure.value, figure.unit)
    if figure.kind == "share":  # a part of a whole, not a change: "share 40%"
        value = value.removeprefix("+")
    outlook = "consensus " if figure.consensus else "outlook " if figure.guidance else ""
    words = f"{outlook}{kind} {value}"
    if figure.kind == "share" and about:  # "40% of customers"
        words = f"{outlook}{value} of {about}"
    elif figure.kind == "count" and about:  # "17 authors"
        words = f"{outlook}{value} {about}"
    if figure.unit == "percent" and figure.kind != "share" and figure.period in _PERIODS:
        words += f" {_PERIODS[figure.period]}"
    elif figure.period and not (figure.kind == "arr" and figure.period == "year"):  # yearly
        words += f" a {figure.period}" if figure.kind.endswith("volume") else f" ({figure.period})"
    if figure.prior is not None:
        words += f", from {amount(figure.prior, figure.unit)}"
        words += _change(figure.value, figure.prior)
    if figure.estimate is not None:
        words += f" vs {amount(figure.estimate, figure.unit)} expected"
    if figure.company:
        words += f" [{figure.company}]"
    return words


# -- building ---------------------------------------------------------------------------


def _record(entity: EntityTag, reference: ReferenceData | None) -> CompanyRecord | None:
    if reference is None:
        return None
    record = reference.by_id.get(entity.entity_id)
    if record is None and not entity.entity_id.islower():
        record = reference.by_ticker.get(entity.entity_id.upper())
    return record


def company(entity: EntityTag, reference: ReferenceData | None) -> CardCompany:
    """The entity with its ticker (from the reference data, else its id when it is one)."""
    record = _record(entity, reference)
    ticker = record.ticker if record is not None else None
    if ticker is None and not entity.entity_id.islower():
        ticker = entity.entity_id
    return CardCompany(
        entity_id=entity.entity_id, name=entity.name or entity.entity_id, ticker=ticker
    )


def companies_of(
    doc: DocumentTagged, reference: ReferenceData | None, min_relevance: float
) -> tuple[CardCompany, ...]:
    """The document's companies, most relevant first; those the product watches before the
    others (a broker that rates, a bank, an investor), so that a card is about the company
    the news is about."""

    def unwatched(e: EntityTag) -> bool:
        record = _record(e, reference)
        return record is not None and not record.watched

    named = sorted(
        (e for e in doc.entities if e.relevance >= min_relevance),
        key=lambda e: (unwatched(e), -e.relevance, e.entity_id),
    )
    return tuple(company(e, reference) for e in named[:MAX_COMPANIES])


def card_figure(
    q: Quantity, document_id: str | None = None, estimate: Quantity | None = None
) -> CardFigure:
    """A tagged figure as a card states it, in words, with the analysts' estimate it is set
    against when there is one."""
    # "revenue was $35.1 billion vs $33.1 billion expected": the estimate is no earlier value
    prior = None if estimate is not None and q.prior == estimate.value else q.prior
    figure = CardFigure(
        kind=q.kind,
        value=q.value,
        unit=q.unit,
        period=q.period,
        prior=prior,
        estimate=estimate.value if estimate is not None else None,
        company=q.company,
        guidance=q.guidance,
        consensus=q.estimate,
        about=q.about,
        document_id=document_id,
    )
    return figure.model_copy(update={"text": figure_text(figure)[:1000]})


# How far (characters) an analysts' estimate may stand from the result it is set against:
# "revenue of $35.1 billion, above the $33.1 billion analysts expected".
_ESTIMATE_REACH = 120
_MONEY_KINDS = frozenset({"revenue", "profit", "eps", "capex", "arr", "amount"})
_SHARE_MOVE = re.compile(r"\b(?:shares?|stocks?)\b|股价|股價", re.I)


def _estimate_of(result: Quantity, estimate: Quantity) -> bool:
    """Whether an analysts' estimate can be the one a result is set against: the same kind
    (an amount against money), unit, headline or body, period and company, the result
    before it and near; never a forecast or a share price's move."""
    kinds = result.kind == estimate.kind or (
        estimate.kind == "amount" and result.kind in _MONEY_KINDS
    )
    return (
        kinds
        and not result.guidance
        and not result.estimate
        and result.unit == estimate.unit
        and result.in_title == estimate.in_title
        and 0 < estimate.start - result.start <= _ESTIMATE_REACH
        and estimate.period in (None, result.period)
        and estimate.company in (None, result.company)
        and not (result.about and _SHARE_MOVE.search(result.about))
    )


def _set_against(
    quantities: Sequence[Quantity], priors: set[tuple[str, float]]
) -> dict[int, Quantity]:
    """Each analysts' estimate with the result it is set against (the nearest that
    `_estimate_of` allows, not itself another's earlier value): index of the result -> the
    estimate."""
    paired: dict[int, Quantity] = {}
    for estimate in (q for q in quantities if q.estimate):
        results = [
            (estimate.start - q.start, i)
            for i, q in enumerate(quantities)
            if i not in paired and (q.unit, q.value) not in priors and _estimate_of(q, estimate)
        ]
        if results:
            paired[min(results)[1]] = estimate
    return paired


def figures_of(doc: DocumentTagged, subjects: Sequence[str]) -> tuple[CardFigure, ...]:
    """The document's key figures: those in the title first, then the subject companies',
    then the rest in reading order; one of each (kind, value, unit, period, company), and
    none that is only what another is compared with. A bare count (13 authors, 100
    countries) says least to an analyst: it comes after the others."""
    order = {entity_id: i for i, entity_id in enumerate(subjects)}

    def key(q: Quantity) -> tuple[bool, int, int, int]:
        in_title = 0 if q.in_title else 1
        return (q.unit == "count", in_title, order.get(q.company or "", len(order)), q.start)

    # A figure another one is compared with is said with that one ("$2, from $10 (-80%)";
    # "$35.1B vs $33.1B expected").
    priors = {(q.unit, q.prior) for q in doc.quantities if q.prior is not None}
    against = _set_against(doc.quantities, priors)
    estimates = {id(q) for q in against.values()}
    seen: dict[tuple[object, ...], int] = {}  # a figure's identity -> its place in found
    found: list[CardFigure] = []
    for i, q in sorted(enumerate(doc.quantities), key=lambda item: key(item[1])):
        if (q.unit, q.value) in priors or id(q) in estimates:
            continue
        identity = (q.kind, q.value, q.unit, q.period, q.company, q.estimate)
        figure = card_figure(q, doc.document_id, against.get(i))
        if identity not in seen:
            seen[identity] = len(found)
            found.append(figure)
        elif figure.estimate is not None and found[seen[identity]].estimate is None:
            found[seen[identity]] = figure  # the same result said again, with its estimate
    return tuple(found[:MAX_FIGURES])


def source_of(doc: DocumentTagged, quote: str) -> CardSource:
    return CardSource(
        document_id=doc.document_id,
        title=doc.title,
        url=doc.url,
        source=doc.source,
        published_at=doc.published_at,
        day_only=doc.published_day_only,
        story_id=doc.story_id,
        quote=quote[:1000],
    )


def publisher(source: CardSource) -> str:
    """Who published a source: the link's host (without www.), else the feed name."""
    if source.url:
        host = urlsplit(source.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return source.source or source.document_id


def confirmations(sources: Iterable[CardSource]) -> int:
    """Independent sources: the publishers that originated the card's story chains (each
    chain credited to the publisher of its earliest source). Syndicated copies of one story
    count once, and so do two stories by one publisher."""
    origins: dict[str, tuple[str, str]] = {}
    for s in sources:
        chain = s.story_id or s.document_id
        seen = (s.published_at.isoformat() if s.published_at else "", publisher(s))
        if chain not in origins or seen < origins[chain]:
            origins[chain] = seen
    return len({name for _, name in origins.values()})


SECTOR_KEY = "sector:"  # the key of a sector's card: "sector:gaming|sector_score_high"


def sector_key(sector: Sector, rule: str) -> str:
    """The key of a sector's card for one rule."""
    return f"{SECTOR_KEY}{sector.value}|{rule}"


def of_sector(card: EventCard) -> bool:
    """A sector's move (a score rule's card), not one event."""
    return card.key.startswith(SECTOR_KEY)


def confirmed(card: EventCard) -> str:
    """What the card's confirmations count, in words: a sector's move its distinct stories
    ("4 stories", one publisher may tell several), an event its independent publishers."""
    count = card.confirmations
    if of_sector(card):
        return f"{count} stor{'ies' if count != 1 else 'y'}"
    return f"{count} independent source{'s' if count != 1 else ''}"


def stories(sources: Iterable[CardSource]) -> int:
    """Independent documents behind a sector's move: distinct story chains (different
    events count, whoever published them; copies of one story count once)."""
    return len({s.story_id or s.document_id for s in sources})


def _names(card: EventCard) -> str:
    return ", ".join(f"{c.name} ({c.ticker})" if c.ticker else c.name for c in card.companies)


def document_why_now(card: EventCard) -> str:
    """What is new, in words with numbers: who, which way, the figures and their change
    against the prior value, and how far it is confirmed."""
    theme = theme_name(card.theme) if card.theme else "AI"
    who = _names(card) or (f"the {sector_name(card.sectors[0])} sector" if card.sectors else "AI")
    parts = [f"{_DIRECTION[card.polarity] or 'new'} {theme} news for {who}".strip()]
    figures = [f.text or figure_text(f) for f in card.figures[:3]]
    if figures:
        parts.append("; ".join(figures))
    count = card.confirmations
    span = ""
    if card.first_seen and card.last_seen and card.last_seen > card.first_seen:
        hours = (card.last_seen - card.first_seen).total_seconds() / 3600
        span = f" within {hours:.0f} h" if hours >= 1 else " within the hour"
    copies = len(card.sources) - max(count, 1)
    if count > 1:
        # "reported", not "confirmed": a company's news on one theme and direction within a
        # day is one card, whether or not its sources tell the same story
        parts.append(f"reported by {count} independent sources{span}")
    else:
        parts.append("a single report so far")
    if copies > 0:
        parts.append(f"{copies} more cop{'ies' if copies > 1 else 'y'} of the same report")
    return "; ".join(parts)[:1000]


def document_summary(card: EventCard) -> str:
    """One line: direction, sector, theme, companies, the first figure."""
    theme = theme_name(card.theme) if card.theme else "event"
    sector = sector_name(card.sectors[0]) if card.sectors else "-"
    who = _names(card)
    first = f" — {card.figures[0].text}" if card.figures else ""
    direction = _DIRECTION[card.polarity] or "neutral"
    return (
        f"{arrow(card.polarity)} {sector}: {direction} {theme}"
        f"{' — ' + who if who else ''}{first}"
        f" ({card.confirmations} source{'s' if card.confirmations != 1 else ''})"
    )[:1000]


def finish(card: EventCard) -> EventCard:
    """The card with its derived parts computed: confirmations, time span, why now."""
    dated = sorted(
        (s for s in card.sources if s.published_at is not None),
        key=lambda s: (s.published_at, s.document_id),
    )
    done = card.model_copy(
        update={
            "confirmations": confirmations(card.sources),
            "first_seen": dated[0].published_at if dated else card.first_seen,
            "last_seen": dated[-1].published_at if dated else card.last_seen,
            # the card is dated by its first source: a day alone when that source gave no time
            "day_only": dated[0].day_only if dated else card.day_only,
        }
    )
    return done.model_copy(update={"why_now": document_why_now(done)})


def _sort_time(source: CardSource) -> tuple[str, str]:
    return (source.published_at.isoformat() if source.published_at else "", source.document_id)


def merge(old: EventCard, new: EventCard) -> EventCard:
    """One card from two cards of the same event: sources, companies, figures and sectors
    united (first seen first), the first card's headline, theme, direction and quote."""
    sources = {s.document_id: s for s in (*old.sources, *new.sources)}
    ordered = sorted(sources.values(), key=_sort_time)[:MAX_SOURCES]
    companies = {c.entity_id: c for c in (*new.companies, *old.companies)}
    company_order = [
        *old.companies,
        *(c for c in new.companies if c.entity_id not in {o.entity_id for o in old.companies}),
    ]
    figures: dict[tuple[object, ...], CardFigure] = {}
    for f in (*old.figures, *new.figures):
        figures.setdefault((f.kind, f.value, f.unit, f.period, f.company, f.guidance), f)
    sectors = list(dict.fromkeys((*old.sectors, *new.sectors)))
    merged = old.model_copy(
        update={
            "sources": tuple(ordered),
            "companies": tuple(companies[c.entity_id] for c in company_order)[:MAX_COMPANIES],
            "figures": tuple(figures.values())[:MAX_FIGURES],
            "sectors": tuple(sectors),
            "quote": old.quote or new.quote,
            "headline": old.headline or new.headline,
        }
    )
    return finish(merged)
