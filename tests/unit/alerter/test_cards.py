"""Event cards: built from a document, merged as sources arrive, severity by confirmation; and
an event card's life: one alert per event, updated only when it gains an independent source."""

from datetime import UTC, datetime, timedelta

import pytest

from radar_alerter.domain import cards, conditions
from radar_alerter.domain.cards import CardPolicy
from radar_alerter.domain.conditions import Observation
from radar_alerter.domain.lifecycle import AlertRecord, Policy, decide
from radar_alerter.domain.rules import DocumentRule
from radar_reference import load_companies
from radar_schemas import (
    AlertStatus,
    DocumentTagged,
    EntityTag,
    Evidence,
    Polarity,
    Quantity,
    Sector,
    SectorTag,
    Severity,
    Theme,
    ThemeTag,
)
from radar_schemas.alerts import CardFigure, CardSource

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)
RULE = DocumentRule(name="event_card", themes=tuple(Theme), ttl_s=86_400)
POLICY = Policy(fingerprint="fp", group_key="sector=gaming", repeat_interval_s=3600, muted=False)
CUT = "The publisher cut its full-year bookings forecast by 12% as demand for its games slumped."


def doc(
    document_id: str,
    *,
    hours: float = 0,
    url: str | None = "https://news.example/a",
    story: str | None = None,
    polarity: Polarity = Polarity.NEGATIVE,
    quantities: tuple[Quantity, ...] = (),
) -> DocumentTagged:
    return DocumentTagged(
        document_id=document_id,
        source="feed",
        title="Take-Two cuts its bookings forecast as demand slumps",
        url=url,
        published_at=T0 + timedelta(hours=hours),
        story_id=story,
        relevant=True,
        themes=(
            ThemeTag(
                theme=Theme.EARNINGS_RESULT,
                polarity=polarity,
                confidence=0.9,
                evidence=(
                    Evidence(sentence="Take-Two cuts", start=0, end=13, in_title=True),
                    Evidence(sentence=CUT, start=0, end=len(CUT)),
                ),
            ),
        ),
        entities=(EntityTag(entity_id="TTWO", name="Take-Two Interactive", relevance=1.0),),
        sectors=(SectorTag(sector=Sector.GAMING, relevance=0.9),),
        quantities=quantities,
        taxonomy_version="1",
        tagger_version="t",
    )


FORECAST_CUT = Quantity(
    kind="bookings",
    value=-12.0,
    unit="percent",
    period="year",
    start=0,
    end=3,
    company="TTWO",
    guidance=True,
)


def observe(document: DocumentTagged) -> Observation:
    (obs,) = conditions.document(RULE, document, load_companies())
    return obs


def test_a_forecast_cut_is_a_negative_card_with_company_figure_link_and_quote() -> None:
    obs = observe(doc("d1", quantities=(FORECAST_CUT,)))
    card = obs.card
    assert card is not None and card.polarity is Polarity.NEGATIVE
    assert obs.summary.startswith("▼ Gaming: negative earnings")
    assert [(c.entity_id, c.ticker, c.name) for c in card.companies] == [
        ("TTWO", "TTWO", "Take-Two Interactive")
    ]
    (figure,) = card.figures
    assert figure.value == -12 and figure.guidance and figure.period == "year"
    assert figure.text == "outlook bookings -12% on the year [TTWO]"
    assert card.quote == CUT  # the body's sentence, not the headline again
    assert card.sources[0].url == "https://news.example/a" and card.sources[0].published_at == T0
    assert card.why_now.startswith("negative earnings news for Take-Two Interactive (TTWO)")
    assert "-12%" in card.why_now and "single report" in card.why_now
    assert obs.labels == {
        "sector": "gaming",
        "theme": "earnings_result",
        "polarity": "negative",
        "company": "TTWO",
    }
    assert obs.severity is Severity.WARNING  # a stated figure; never critical on one source


def test_only_a_figure_of_a_company_on_the_card_raises_one_source_to_warning() -> None:
    """A share of no one ("80% of projects") or another company's amount says nothing of the
    card's company: one such source stays info."""
    unowned = FORECAST_CUT.model_copy(update={"company": None})
    other = FORECAST_CUT.model_copy(update={"company": "EA"})
    assert observe(doc("d1", quantities=(unowned,))).severity is Severity.INFO
    assert observe(doc("d1", quantities=(other,))).severity is Severity.INFO
    assert observe(doc("d1", quantities=(unowned, FORECAST_CUT))).severity is Severity.WARNING


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (58.1e9, "USD", "$58.1B"),
        (-2.5e6, "EUR", "-€2.5M"),
        (1.3e15, "tokens", "1.3 quadrillion tokens"),
        (24.0, "percent", "+24%"),
        (0.4, "USD", "$0.40"),
        (13.0, "count", "13"),
        (2e7, "users", "20M users"),
    ],
)
def test_amounts_in_words(value: float, unit: str, words: str) -> None:
    assert cards.amount(value, unit) == words


@pytest.mark.parametrize(
    ("kind", "value", "period", "words"),
    [
        ("growth", 24.0, "year", "change +24% on the year"),
        # "in the third quarter": on the quarter before or on a year before, the text may not say
        ("growth", -30.0, "quarter", "change -30% (quarter)"),
        ("share", 19.3, "quarter", "share 19.3% (quarter)"),
    ],
)
def test_a_changes_period_says_no_more_than_the_figure(
    kind: str, value: float, period: str, words: str
) -> None:
    figure = CardFigure(kind=kind, value=value, unit="percent", period=period)
    assert cards.figure_text(figure) == words


def test_figure_with_prior_and_estimate() -> None:
    target = CardFigure(kind="price_target", value=548, unit="USD", prior=320, company="TSLA")
    assert cards.figure_text(target) == "price target $548, from $320 (+71%) [TSLA]"
    eps = CardFigure(kind="eps", value=1.32, unit="USD", estimate=1.1, period="Q3")
    assert cards.figure_text(eps) == "EPS $1.32 (Q3) vs $1.10 expected"
    # a cut in time or price is a change, not a negative "growth"; ARR is yearly by name
    cut = CardFigure(kind="growth", value=-50, unit="percent")
    assert cards.figure_text(cut) == "change -50%"
    arr = CardFigure(kind="arr", value=3e8, unit="USD", period="year")
    assert cards.figure_text(arr) == "ARR $300M"
    share = CardFigure(kind="share", value=40, unit="percent")
    assert cards.figure_text(share) == "share 40%"  # a part, not a rise


def test_a_figure_says_what_it_measures_when_the_text_does() -> None:
    cut = CardFigure(kind="growth", value=-50, unit="percent", about="production time")
    assert cards.figure_text(cut) == "production time -50%"
    # in the card's English when the text is Chinese; a word of no measure gives way
    rise = CardFigure(kind="growth", value=33, unit="percent", period="year", about="营收")
    assert cards.figure_text(rise) == "revenue +33% on the year"
    index = CardFigure(kind="growth", value=-1.2, unit="percent", period="day", about="沪指")
    assert cards.figure_text(index) == "Shanghai Composite -1.2% (day)"
    # ... in traditional script too (Hong Kong and Taiwan news)
    for written, english in [
        ("滬指", "Shanghai Composite"),
        ("營業收入", "revenue"),
        ("資本開支", "capex"),
        ("淨利潤", "net profit"),
    ]:
        said = cards.figure_text(CardFigure(kind="growth", value=2, unit="percent", about=written))
        assert said == f"{english} +2%", said
    once = CardFigure(kind="growth", value=5, unit="percent", about="一度")
    assert cards.figure_text(once) == "change +5%"
    unknown = CardFigure(kind="growth", value=8, unit="percent", about="烧碱")
    assert cards.figure_text(unknown) == "烧碱 +8%"  # kept as the text says it
    part = CardFigure(kind="share", value=40, unit="percent", about="customers", guidance=True)
    assert cards.figure_text(part) == "outlook 40% of customers"
    # a result's kind already says what it is
    money = CardFigure(kind="revenue", value=5.2e9, unit="USD", about="ignored")
    assert cards.figure_text(money) == "revenue $5.2B"
    # an amount or a count named by the text
    raised = CardFigure(kind="amount", value=7.5e8, unit="USD", about="funding")
    assert cards.figure_text(raised) == "funding $750M"
    counted = CardFigure(kind="count", value=17, unit="count", about="authors")
    assert cards.figure_text(counted) == "17 authors"
    # ... and not named: its kind
    bare = CardFigure(kind="count", value=17, unit="count")
    assert cards.figure_text(bare) == "count 17"


def source(document_id: str, url: str | None, story: str | None = None) -> CardSource:
    return CardSource(document_id=document_id, title="t", url=url, story_id=story, source="feed")


def test_independent_sources_are_distinct_stories_from_distinct_publishers() -> None:
    a = source("a", "https://www.reuters.com/x", "s1")
    copy = source("b", "https://yahoo.example/x", "s1")  # syndicated: the same story
    again = source("c", "https://reuters.com/y", "s2")  # another story, the same publisher
    other = source("d", "https://ft.example/z", "s3")
    assert cards.confirmations([a]) == 1
    assert cards.confirmations([a, copy]) == 1
    assert cards.confirmations([a, again]) == 1
    assert cards.confirmations([a, copy, again, other]) == 2


def test_severity_follows_confirmation_never_critical_from_one_document() -> None:
    policy = CardPolicy(Severity.INFO, warning_sources=2, critical_sources=3)
    one = observe(doc("d1")).card
    assert one is not None and cards.severity(one, policy) is Severity.INFO
    two = cards.merge(one, observe(doc("d2", url="https://other.example/b")).card)  # type: ignore[arg-type]
    assert two.confirmations == 2 and cards.severity(two, policy) is Severity.WARNING
    # sources found again by company, theme and direction need not tell one story
    assert "reported by 2 independent sources" in two.why_now and "confirm" not in two.why_now
    three = cards.merge(two, observe(doc("d3", url="https://third.example/c")).card)  # type: ignore[arg-type]
    assert cards.severity(three, policy) is Severity.CRITICAL
    lone = CardPolicy(Severity.INFO, warning_sources=1, critical_sources=1)
    assert cards.severity(one, lone) is Severity.WARNING  # critical needs two at least


def run(documents: list[DocumentTagged], policy: Policy = POLICY) -> list[tuple[str, object]]:
    """Feed the documents of one event in order; what each notification says."""
    record: AlertRecord | None = None
    sent = []
    for document in documents:
        decision = decide(record, observe(document), policy)
        record = decision.record or record
        for alert in decision.alerts:
            assert alert.card is not None
            sent.append((alert.summary, alert.card.confirmations))
    return sent


def test_one_alert_per_event_updated_when_confirmed() -> None:
    first = doc("d1", story="s1")
    copy = doc("d1-copy", hours=1, url="https://wire.example/a", story="s1")
    other = doc("d2", hours=2, url="https://other.example/b", story="s2")
    record = decide(None, observe(first), POLICY).record
    assert record is not None
    joined = decide(record, observe(copy), POLICY)
    assert joined.alerts == () and joined.record is not None  # a copy: the card grows, quietly
    assert joined.record.card is not None and len(joined.record.card.sources) == 2
    confirmed = decide(joined.record, observe(other), POLICY)
    (update,) = confirmed.alerts
    assert update.summary.startswith("update: ▼ Gaming") and update.notification == 2
    assert update.card is not None and update.card.confirmations == 2
    assert update.correlation_ids == ("d1", "d1-copy", "d2")
    assert update.severity is Severity.WARNING and update.fingerprint == "fp"
    assert confirmed.record is not None
    assert decide(confirmed.record, observe(other), POLICY).record is None  # a replay


def test_a_late_source_joins_and_a_source_after_the_window_opens_a_new_card() -> None:
    sent = run(
        [
            doc("d1", hours=5),
            doc("d0", hours=1, url="https://early.example/x"),  # arrives late, same event
            doc("d9", hours=40, url="https://much-later.example/y"),  # the card ended
        ]
    )
    assert [count for _, count in sent] == [1, 2, 1]
    assert sent[1][0].startswith("update:") and not sent[2][0].startswith("update:")


def test_a_muted_card_is_notified_once_unmuted_with_all_its_sources() -> None:
    muted = POLICY.__class__(**{**POLICY.__dict__, "muted": True})
    record = decide(None, observe(doc("d1")), muted).record
    assert record is not None and record.notifications == 0
    copy = doc("d2", hours=1, url="https://wire.example/a", story=None)
    (alert,) = decide(record, observe(copy), POLICY).alerts
    assert alert.notification == 1 and alert.card is not None and len(alert.card.sources) == 2


def test_condition_alert_without_update_for_days_resolves_instead_of_repeating() -> None:
    stale = Policy(
        fingerprint="fp",
        group_key="sector=gaming",
        repeat_interval_s=3600,
        muted=False,
        stale_after_s=3 * 86_400,
    )

    def score(days: float, value: float) -> Observation:
        return Observation(
            rule="score",
            labels={"sector": "gaming"},
            at=T0 + timedelta(days=days),
            fires=value >= 1,
            clears=value < 0.5,
            severity=Severity.WARNING,
            summary=f"score {value}",
        )

    first = decide(None, score(0, 1.2), stale)
    assert first.record is not None
    later = decide(first.record, score(200, 1.3), stale)  # months later: not "still firing"
    resolved, fired = later.alerts
    assert resolved.status is AlertStatus.RESOLVED and resolved.ends_at == T0
    assert "no update since 2026-11-20 09:00Z" in resolved.summary
    assert fired.status is AlertStatus.FIRING and fired.notification == 1
    assert fired.starts_at == T0 + timedelta(days=200)
    quiet = decide(first.record, score(200, 0.1), stale)
    assert [a.status for a in quiet.alerts] == [AlertStatus.RESOLVED]


def test_a_bare_count_comes_after_the_figures_that_say_more() -> None:
    """US export curbs on Nvidia chips to 100 countries, with $1.2T at stake: the card leads
    with the money, not the count, even when the count stands in the title."""
    count = Quantity(kind="count", value=100, unit="count", start=0, end=3, in_title=True)
    money = Quantity(kind="amount", value=1.2e12, unit="USD", start=40, end=46, company="TTWO")
    figures = cards.figures_of(doc("d1", quantities=(count, money)), ["TTWO"])
    assert [f.text for f in figures] == ["amount $1.2T [TTWO]", "count 100"]


def test_a_figure_another_is_compared_with_is_said_with_it() -> None:
    """ "slashing rates from $10/$40 to $2/$8 per million tokens": the card says "$2, from
    $10", not "$10" and "$2" as two figures; the output price has no prior and stays."""
    kind = "price_per_million_tokens"
    old = Quantity(kind=kind, value=10, unit="USD", start=0, end=3)
    old_out = Quantity(kind=kind, value=40, unit="USD", start=4, end=7)
    new = Quantity(kind=kind, value=2, unit="USD", start=11, end=13, prior=10)
    figures = cards.figures_of(doc("d1", quantities=(old, old_out, new)), [])
    assert [f.text for f in figures] == [
        "price per million tokens $40",
        "price per million tokens $2, from $10 (-80%)",
    ]


def test_an_analysts_estimate_is_said_with_the_result_set_against_it() -> None:
    """ "revenue of $35.1 billion, above the $33.1 billion analysts expected": one figure,
    "vs $33.1B expected", never "$33.1B" as a figure of the company or its outlook; an
    estimate with no result beside it says it is the consensus and raises no warning."""
    result = Quantity(kind="revenue", value=35.1e9, unit="USD", period="quarter", start=0,
                      end=13, company="TTWO")  # fmt: skip
    estimate = Quantity(kind="amount", value=33.1e9, unit="USD", period="quarter", start=29,
                        end=42, company="TTWO", guidance=True, estimate=True)  # fmt: skip
    figures = cards.figures_of(doc("d1", quantities=(result, estimate)), ["TTWO"])
    assert [f.text for f in figures] == ["revenue $35.1B (quarter) vs $33.1B expected [TTWO]"]
    assert figures[0].estimate == 33.1e9
    far = estimate.model_copy(update={"start": 400, "end": 413})  # another sentence's
    figures = cards.figures_of(doc("d1", quantities=(result, far)), ["TTWO"])
    assert [f.text for f in figures] == [
        "revenue $35.1B (quarter) [TTWO]",
        "consensus amount $33.1B (quarter) [TTWO]",
    ]
    alone = observe(doc("d1", quantities=(far,)))
    assert alone.card is not None and alone.card.figures[0].consensus
    assert not cards.own_figure(alone.card)


def test_the_company_a_card_is_about_comes_before_the_broker_that_rates_it() -> None:
    """A broker named first and most often (its report is the source) is still not what
    the news is about: the card and its group key name the rated company."""
    rated = doc("d1").model_copy(
        update={
            "entities": (
                EntityTag(entity_id="BARC.L", name="Barclays", relevance=1.0),
                EntityTag(entity_id="TTWO", name="Take-Two Interactive", relevance=0.7),
            )
        }
    )
    obs = observe(rated)
    assert obs.card is not None
    assert [c.entity_id for c in obs.card.companies] == ["TTWO", "BARC.L"]
    assert obs.labels["company"] == "TTWO"


def test_a_card_first_reported_with_a_date_alone_says_so() -> None:
    midnight = T0.replace(hour=0)
    dated = doc("d1", hours=-9).model_copy(update={"published_day_only": True})
    assert dated.published_at == midnight
    card = observe(dated).card
    assert card is not None and card.day_only and card.sources[0].day_only
    assert cards.stamp(card.first_seen, card) == "2026-11-20 (day only)"
    # a later source with a time joins: the card is still dated by the day-only first one
    later = cards.merge(card, observe(doc("d2", hours=2, url="https://other.example/b")).card)  # type: ignore[arg-type]
    assert later.day_only and later.first_seen == midnight
    assert later.last_seen == T0 + timedelta(hours=2)
    # a source with a time before it makes the card a moment again
    earlier = cards.merge(
        card,
        observe(doc("d0", hours=-10, url="https://third.example/c")).card,  # type: ignore[arg-type]
    )
    assert not earlier.day_only
    assert cards.stamp(earlier.first_seen, earlier) == "2026-11-19 23:00Z"


def test_a_card_of_a_timed_source_at_midnight_keeps_its_time() -> None:
    card = observe(doc("d1", hours=-9)).card
    assert card is not None and not card.day_only
    assert cards.stamp(card.first_seen, card) == "2026-11-20 00:00Z"


def test_a_repeat_or_an_update_says_so_and_a_list_can_take_it_off() -> None:
    summary = "▲ Gaming up: score 2.75 (fires at 1, resolves below 0.5)"
    repeat = cards.repeated(summary, "2026-11-20 09:40Z")
    assert repeat == f"still firing since 2026-11-20 09:40Z: {summary}"
    assert cards.unnoticed(repeat) == summary
    day = cards.repeated(summary, "2025-05-09 (day only)")
    assert cards.unnoticed(day) == summary
    update = cards.updated("▲ Marketing: positive AI marketing (2 sources)")
    assert update.startswith("update: ")
    assert cards.unnoticed(update) == "▲ Marketing: positive AI marketing (2 sources)"
    assert cards.unnoticed(summary) == summary  # a first notification is left as it is
