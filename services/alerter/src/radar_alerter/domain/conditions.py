"""What each rule sees in one message: observations of alert conditions, each with its event
card. Pure."""

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from radar_reference import ReferenceData
from radar_schemas import (
    THEME_SECTORS,
    AlertEvidence,
    Contribution,
    DocumentTagged,
    EarningsReported,
    Evidence,
    Polarity,
    ReportTime,
    Sector,
    SectorScored,
    Severity,
    Theme,
)
from radar_schemas.alerts import CardCompany, CardFigure, CardSource, EventCard
from radar_schemas.earnings import MetricName

from . import cards
from .cards import CardPolicy
from .rules import DocumentRule, EarningsRule, ThresholdRule


@dataclass(frozen=True)
class Observation:
    """One rule's condition for one set of labels at one event time. ``fires``: the condition
    holds (an inactive alert starts firing); ``clears``: it is gone (a firing alert resolves).
    Between the two (hysteresis) a firing alert stays firing and an inactive one stays so.

    ``card``: the event as a person reads it. ``aliases``: the keys under which later
    sources of the same event find this alert (a story, a subject company with theme and
    direction); empty: the alert is found by its labels. ``card_policy``: how the severity of
    a card that gains sources follows its confirmation."""

    rule: str
    labels: dict[str, str]
    at: datetime
    fires: bool
    clears: bool
    severity: Severity
    summary: str
    evidence: tuple[AlertEvidence, ...] = ()
    score: float | None = None
    z: float | None = None
    momentum: float | None = None
    attention: float | None = None
    ends_at: datetime | None = None  # one-shot alerts (a document, a report) end on their own
    card: EventCard | None = None
    aliases: tuple[str, ...] = ()
    card_policy: CardPolicy | None = None

    @property
    def correlation_ids(self) -> tuple[str, ...]:
        return tuple(e.document_id for e in self.evidence)


class DocumentNote(BaseModel):
    """What the alerter remembers of a tagged document, to name the companies and figures
    behind a sector's move."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    companies: tuple[CardCompany, ...] = ()
    figures: tuple[CardFigure, ...] = ()
    source: str | None = None
    story_id: str | None = None


def note(doc: DocumentTagged, reference: ReferenceData | None) -> DocumentNote:
    companies = cards.companies_of(doc, reference, 0.3)
    return DocumentNote(
        companies=companies,
        figures=cards.figures_of(doc, [c.entity_id for c in companies])[:4],
        source=doc.source,
        story_id=doc.story_id,
    )


def _label(value: str) -> str:
    """A label value of at most 128 characters: long ids are replaced by their hash."""
    if len(value) <= 128:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _metric(rule: ThresholdRule, scored: SectorScored) -> float | None:
    if rule.metric == "attention_ratio":
        base = scored.attention_baseline
        return None if base is None else scored.attention / max(base, 0.1)
    value: float | None = getattr(scored, rule.metric)
    return value


def _quote(evidence: tuple[Evidence, ...]) -> str:
    """The evidence sentence from the body when there is one (the headline says less)."""
    body = [e for e in evidence if not e.in_title]
    chosen = (body or list(evidence))[:1]
    return chosen[0].sentence[:1000] if chosen else ""


# -- sector figures ---------------------------------------------------------------------


def _direction(rule: ThresholdRule, scored: SectorScored) -> Polarity:
    if rule.metric != "attention_ratio":
        return Polarity.POSITIVE if rule.upward else Polarity.NEGATIVE
    net = sum(c.delta for c in scored.top_contributors)
    return Polarity.POSITIVE if net > 0 else Polarity.NEGATIVE if net < 0 else Polarity.NEUTRAL


def _leading_theme(contributors: list[Contribution]) -> Theme | None:
    weight: dict[Theme, float] = defaultdict(float)
    for c in contributors:
        if c.theme is not None:
            weight[c.theme] += abs(c.delta)
    return max(weight, key=lambda t: (weight[t], t.value)) if weight else None


def _against_bounds(rule: ThresholdRule, value: float) -> str:
    """Where the figure stands against the rule's bounds: at the firing bound, or back
    inside it but not yet past the bound where the alert resolves (still firing)."""
    up = rule.upward
    fire = rule.fire_above if up else rule.fire_below
    resolve = rule.resolve_below if up else rule.resolve_above
    assert fire is not None and resolve is not None  # the rule validator sees to both
    if (value >= fire) if up else (value <= fire):
        return f"{'at or above' if up else 'at or below'} {fire:g}"
    side = "below" if up else "above"
    return f"back {side} {fire:g} but not yet {side} {resolve:g}, where it resolves"


def _threshold_why_now(
    rule: ThresholdRule, scored: SectorScored, value: float, drivers: list[Contribution]
) -> str:
    sector = cards.sector_name(scored.sector)
    name = "attention" if rule.metric == "attention_ratio" else rule.metric
    parts = [f"{sector} {name} {value:+.2f}, {_against_bounds(rule, value)}"]
    if rule.metric != "score":
        parts.append(f"score {scored.score:+.2f}")
    if scored.momentum is not None and rule.metric != "momentum":
        parts.append(f"{scored.momentum:+.2f} in 24 h")
    if scored.z is not None and rule.metric != "z":
        parts.append(f"{scored.z:+.1f} standard deviations from its 14-day baseline")
    elif scored.z is None:
        parts.append("too little history for a baseline")
    if scored.attention_baseline is not None:
        parts.append(
            f"{scored.attention:.1f} recent signals against {scored.attention_baseline:.1f} usual"
        )
    if drivers:
        lead = drivers[0].title or drivers[0].quote or drivers[0].document_id
        parts.append(
            f"{len(drivers)} document{'s' if len(drivers) != 1 else ''} drive it,"
            f" led by “{lead[:120]}”"
        )
    return "; ".join(parts)[:1000]


def _threshold_card(
    rule: ThresholdRule,
    scored: SectorScored,
    value: float,
    polarity: Polarity,
    notes: Mapping[str, DocumentNote],
) -> EventCard:
    contributors = list(scored.top_contributors)
    sign = polarity.sign
    drivers = [c for c in contributors if sign == 0 or c.delta * sign > 0] or contributors
    companies: dict[str, CardCompany] = {}
    figures: dict[tuple[object, ...], CardFigure] = {}
    sources = []
    for c in drivers:
        known = notes.get(c.document_id)
        if known is not None:
            for company in known.companies[:2]:
                companies.setdefault(company.entity_id, company)
            for f in known.figures[:2]:
                figures.setdefault((f.kind, f.value, f.unit, f.period, f.company), f)
        sources.append(
            CardSource(
                document_id=c.document_id,
                title=c.title,
                url=c.url,
                source=known.source if known else None,
                published_at=c.at,
                story_id=known.story_id if known else None,
                quote=c.quote,
            )
        )
    direction = {1: "rising", -1: "falling", 0: "busier"}[sign]
    metric = "attention" if rule.metric == "attention_ratio" else rule.metric
    card = EventCard(
        key=cards.sector_key(scored.sector, rule.name),
        headline=f"{cards.sector_name(scored.sector)} {metric} {direction}: {value:+.2f}",
        polarity=polarity,
        theme=_leading_theme(drivers),
        sectors=(scored.sector,),
        companies=tuple(companies.values())[: cards.MAX_COMPANIES],
        figures=tuple(figures.values())[: cards.MAX_FIGURES],
        sources=tuple(sources),
        quote=next((c.quote for c in drivers if c.quote), ""),
        confirmations=cards.stories(sources),
        first_seen=min((c.at for c in drivers), default=None),
        last_seen=max((c.at for c in drivers), default=None),
    )
    return card.model_copy(update={"why_now": _threshold_why_now(rule, scored, value, drivers)})


def threshold(
    rule: ThresholdRule, scored: SectorScored, notes: Mapping[str, DocumentNote] | None = None
) -> Observation | None:
    """The rule's view of a sector's new figures (None: not watched, or no value yet)."""
    value = _metric(rule, scored)
    if value is None or (rule.sectors and scored.sector not in rule.sectors):
        return None
    loud_enough = scored.attention >= rule.min_attention
    if rule.upward:
        assert rule.fire_above is not None and rule.resolve_below is not None
        fires, clears = value >= rule.fire_above, value < rule.resolve_below
        big = rule.critical_above is not None and value >= rule.critical_above
        bounds = f"fires at {rule.fire_above:g}, resolves below {rule.resolve_below:g}"
    else:
        assert rule.fire_below is not None and rule.resolve_above is not None
        fires, clears = value <= rule.fire_below, value > rule.resolve_above
        big = rule.critical_below is not None and value <= rule.critical_below
        bounds = f"fires at {rule.fire_below:g}, resolves above {rule.resolve_above:g}"
    polarity = _direction(rule, scored)
    card = _threshold_card(rule, scored, value, polarity, notes or {})
    confirmed = card.confirmations >= rule.critical_sources
    fires = fires and card.confirmations >= rule.min_sources
    severity = Severity.CRITICAL if big and confirmed else rule.severity
    direction = {1: "up", -1: "down", 0: "busier"}[polarity.sign]
    name = "attention ratio" if rule.metric == "attention_ratio" else rule.metric
    return Observation(
        rule=rule.name,
        labels={"sector": scored.sector.value},
        at=scored.as_of,
        fires=loud_enough and fires,
        clears=clears or not loud_enough,
        severity=severity,
        summary=f"{cards.arrow(polarity)} {cards.sector_name(scored.sector)} {direction}: {name}"
        f" {value:.2f} ({bounds})",
        evidence=tuple(
            AlertEvidence(
                document_id=c.document_id,
                title=c.title,
                url=c.url,
                quote=c.quote,
                published_at=c.at,
            )
            for c in scored.top_contributors
        ),
        score=scored.score,
        z=scored.z,
        momentum=scored.momentum,
        attention=scored.attention,
        card=card,
    )


# -- documents --------------------------------------------------------------------------


_THEME_ORDER = {theme: i for i, theme in enumerate(Theme)}


def document(
    rule: DocumentRule, doc: DocumentTagged, reference: ReferenceData | None = None
) -> list[Observation]:
    """A high-impact document as an event card: one observation, whatever the number of
    sectors it reaches, found again by its story and by its subject company with theme and
    direction."""
    tags = [
        t
        for t in doc.themes
        if t.theme in rule.themes
        and t.polarity in rule.polarities
        and t.confidence >= rule.min_confidence
    ]
    if not doc.relevant or not tags:
        return []
    # The most confident theme; among equals (confidence tops out at 0.99), the taxonomy's
    # order, which is the thesis's: AI marketing, gaming, film/TV, AI+IP, usage, cost, ...
    tag = min(tags, key=lambda t: (-t.confidence, _THEME_ORDER[t.theme]))
    own = THEME_SECTORS.get(tag.theme, ())  # the card's sector: its theme's own, first
    reached = sorted(
        (t for t in doc.sectors if not rule.sectors or t.sector in rule.sectors),
        key=lambda t: (t.sector not in own, -t.relevance, t.sector.value),
    )
    if not reached:
        return []
    companies = cards.companies_of(doc, reference, rule.min_company_relevance)
    figures = cards.figures_of(doc, [c.entity_id for c in companies])
    if rule.require_subject and not companies and not figures:
        return []
    quote = _quote(tag.evidence)
    aliases = [f"story:{doc.story_id}"] if doc.story_id else []
    if companies:
        same = sorted(
            (t for t in tags if t.polarity is tag.polarity),
            key=lambda t: (-t.confidence, _THEME_ORDER[t.theme]),
        )
        subject = companies[0].entity_id
        aliases += [f"subject:{subject}|{t.theme.value}|{tag.polarity.value}" for t in same]
    aliases = aliases or [f"document:{doc.document_id}"]
    card = cards.finish(
        EventCard(
            key=aliases[0][:1000],
            headline=doc.title,
            polarity=tag.polarity,
            theme=tag.theme,
            sectors=tuple(dict.fromkeys(t.sector for t in reached)),
            companies=companies,
            figures=figures,
            sources=(cards.source_of(doc, quote),),
            quote=quote,
        )
    )
    policy = CardPolicy(rule.severity, rule.warning_sources, rule.critical_sources)
    labels = {
        "sector": reached[0].sector.value,
        "theme": tag.theme.value,
        "polarity": tag.polarity.value,
    }
    if companies:
        labels["company"] = _label(companies[0].ticker or companies[0].entity_id)
    evidence = AlertEvidence(
        document_id=doc.document_id,
        title=doc.title,
        url=doc.url,
        quote=quote,
        published_at=doc.published_at,
    )
    return [
        Observation(
            rule=rule.name,
            labels=labels,
            at=doc.published_at,
            fires=True,
            clears=False,
            severity=cards.severity(card, policy),
            summary=cards.document_summary(card),
            evidence=(evidence,),
            ends_at=doc.published_at + timedelta(seconds=rule.ttl_s),
            card=card,
            aliases=tuple(f"{rule.name}|{a}" for a in dict.fromkeys(aliases)),
            card_policy=policy,
        )
    ]


# -- earnings ---------------------------------------------------------------------------


def _earnings_card(
    report: EarningsReported,
    sectors: list[Sector],
    at: datetime,
    pct: float | None,
    sue: float | None,
    reference: ReferenceData | None,
) -> EventCard:
    ticker = report.company.ticker.upper()
    record = reference.by_ticker.get(ticker) if reference is not None else None
    name = report.company.name or (record.name if record else ticker)
    surprise = sue if sue is not None else pct
    polarity = (
        Polarity.NEUTRAL
        if not surprise
        else (Polarity.POSITIVE if surprise > 0 else Polarity.NEGATIVE)
    )
    figures = []
    for metric_name, metric in sorted(report.metrics.items()):
        if metric.actual is None and metric.surprise_pct is None:
            continue
        unit = _currency(metric.unit)
        if metric.actual is not None:
            figure = CardFigure(
                kind=metric_name.value,
                value=metric.actual,
                unit=unit,
                period=report.fiscal_period,
                estimate=metric.estimate,
                company=ticker,
                document_id=report.report_id,
            )
            figures.append(figure.model_copy(update={"text": cards.figure_text(figure)}))
        if metric.surprise_pct is not None:
            figure = CardFigure(
                kind=f"{metric_name.value}_surprise",
                value=metric.surprise_pct,
                unit="percent",
                company=ticker,
                document_id=report.report_id,
            )
            figures.append(figure.model_copy(update={"text": cards.figure_text(figure)}))
    verdict = {1: "beat", -1: "missed", 0: "met"}[polarity.sign]
    measured = f"SUE {sue:+.2f}" if sue is not None else f"surprise {pct:+.1f}%"
    eps = report.metrics.get(MetricName.EPS)
    if eps is not None and eps.actual is not None and eps.estimate is not None:
        # the figures themselves, where the alert's own title already says the surprise
        unit = _currency(eps.unit)
        actual, expected = cards.amount(eps.actual, unit), cards.amount(eps.estimate, unit)
        measured = f"EPS {actual} vs {expected} expected"
        if sue is not None or pct is not None:
            measured += f", SUE {sue:+.2f}" if sue is not None else f", {pct:+.1f}%"
    title = f"{name} ({ticker}) {verdict} the EPS consensus: {measured}"
    source = CardSource(
        document_id=report.report_id,
        title=title,
        url=report.url,
        source=report.source,
        published_at=at,
        day_only=report.reported_at is None,
    )
    why = f"{title}"
    if pct is not None and sue is not None:
        why += f" ({pct:+.1f}%)"
    why += (
        "; large against this company's past surprises (SUE)"
        if sue is not None
        else (
            "; too few past reports to say whether that is large for this company, so it"
            " counts less (most reports beat estimates)"
        )
    )
    return EventCard(
        key=f"earnings:{ticker}|{report.report_date.isoformat()}",
        headline=title,
        polarity=polarity,
        theme=Theme.EARNINGS_RESULT,
        sectors=tuple(sectors),
        companies=(CardCompany(entity_id=ticker, name=name, ticker=ticker),),
        figures=tuple(figures[: cards.MAX_FIGURES]),
        sources=(source,),
        why_now=why[:1000],
        confirmations=1,
        first_seen=at,
        last_seen=at,
        day_only=report.reported_at is None,
    )


_SESSIONS = {
    ReportTime.BEFORE_OPEN: ", before the open",
    ReportTime.AFTER_CLOSE: ", after the close",
}


def _currency(unit: str | None) -> str:
    """A metric's unit as the currency its figures are told in: "CNY/shares" (XBRL's unit of
    a per-share amount) is CNY ("EPS CN¥10.95"); none is USD."""
    return (unit or "USD").split("/")[0]


def _session(report: EarningsReported) -> str:
    """When in the day a report given by its date alone came out, as its calendar says."""
    if report.reported_at is not None:
        return ""  # the event time says it
    return _SESSIONS.get(report.report_time, "")


def earnings(
    rule: EarningsRule,
    report: EarningsReported,
    sectors: tuple[Sector, ...],
    reference: ReferenceData | None = None,
) -> list[Observation]:
    """One observation for a watched company whose surprise (beat or miss) passes a bound,
    labelled with its first watched sector; the card lists them all."""
    ticker = report.company.ticker.upper()
    watched = sorted({s for s in sectors if not rule.sectors or s in rule.sectors})
    if (rule.tickers and ticker not in {t.upper() for t in rule.tickers}) or not watched:
        return []
    sue = report.sue if report.standardized else None
    pct = report.eps_surprise_pct if report.eps_surprise_pct is not None else None
    pct = pct if pct is not None else report.revenue_surprise_pct
    big_sue = sue is not None and abs(sue) >= rule.min_abs_sue
    big_pct = pct is not None and abs(pct) >= rule.min_abs_surprise_pct
    if not (big_sue or big_pct):
        return []
    at = report.event_time  # the release's time when known, not the report date's midnight
    figure = f"SUE {sue:+.2f}" if big_sue and sue is not None else f"surprise {pct:+.1f}%"
    card = _earnings_card(report, watched, at, pct, sue if big_sue else None, reference)
    evidence = AlertEvidence(
        document_id=report.report_id, title=f"{ticker} earnings, {figure}", url=report.url
    )
    critical = (
        rule.critical_abs_sue is not None and sue is not None and abs(sue) >= rule.critical_abs_sue
    )
    verdict = {1: "beat", -1: "miss", 0: "in line"}[card.polarity.sign]
    return [
        Observation(
            rule=rule.name,
            labels={"sector": watched[0].value, "ticker": ticker},
            at=at,
            fires=True,
            clears=False,
            severity=Severity.CRITICAL if critical else rule.severity,
            summary=f"{cards.arrow(card.polarity)} {ticker} earnings {verdict}: {figure}"
            f" ({', '.join(cards.sector_name(s) for s in watched)}){_session(report)}",
            evidence=(evidence,),
            ends_at=at + timedelta(seconds=rule.ttl_s),
            card=card,
        )
    ]
