"""The console line of an alert: the lead document's title goes with that document's link."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from radar_cli.tail import format_alert
from radar_schemas import AlertRaised, AlertStatus, EventType, Severity, new_event
from radar_schemas.alerts import AlertEvidence

AT = datetime(2026, 11, 20, 11, 28, tzinfo=UTC)


def firing(sector: str, summary: str, **fields: Any) -> AlertRaised:
    """A firing warning of the sector at AT (evidence, card, ... as given)."""
    return AlertRaised(
        fingerprint="f1",
        rule="sector_score_high",
        status=AlertStatus.FIRING,
        severity=Severity.WARNING,
        labels={"sector": sector},
        summary=summary,
        starts_at=AT,
        **fields,
    )


def score_alert(*evidence: AlertEvidence) -> str:
    alert = firing("ai_infra", "▲ ai_infra up: score 1.12", evidence=evidence)
    # The newest signal (the token-usage item) triggered it; the price cut leads its evidence.
    event = new_event(
        EventType.ALERT_RAISED,
        alert,
        producer="alerter",
        correlation_id="n-token-usage",
        occurred_at=AT,
    )
    return format_alert(event)


def test_the_title_shown_comes_with_its_own_link_not_another_documents_id() -> None:
    lead = AlertEvidence(
        document_id="n-price-cut",
        title="Model provider cuts API price per million tokens by 60%",
        url="https://news.example/price-cut",
    )
    line = score_alert(lead)
    assert line.endswith(
        "— Model provider cuts API price per million tokens by 60%  https://news.example/price-cut"
    )
    assert "n-token-usage" not in line


def test_without_a_link_the_lead_documents_own_id_is_shown() -> None:
    lead = AlertEvidence(document_id="n-price-cut", title="Model provider cuts API price")
    assert score_alert(lead).endswith("— Model provider cuts API price  [n-price-cut]")


def test_without_evidence_the_triggering_document_is_named() -> None:
    assert score_alert().endswith("score 1.12  [n-token-usage]")


def test_a_day_alone_is_a_time_scores_and_tail_understand() -> None:
    """`--at 2026-11-20Z` asked for a zone it had ("e.g. 2026-11-20ZZ"): a day alone is the
    end of that day for scores, its start for tail --from."""
    from radar_cli.scores import parse_at
    from radar_cli.tail import start_id as parse_start

    end = datetime(2026, 11, 21, tzinfo=UTC)
    assert parse_at("2026-11-20Z") == parse_at("2026-11-20")
    assert end - parse_at("2026-11-20") == timedelta(microseconds=1)  # type: ignore[operator]
    start_ms = int(datetime(2026, 11, 20, tzinfo=UTC).timestamp() * 1000)
    assert parse_start("2026-11-20Z") == parse_start("2026-11-20") == f"{start_ms}-0"
    with pytest.raises(ValueError, match=r"e\.g\. 2026-11-20T09:00Z, or a day alone"):
        parse_at("2026-11-20T09:00")


def test_an_event_known_by_its_day_alone_is_shown_without_a_time_of_day() -> None:
    """An earnings calendar gives a report's date, not its release time: the alert's time is
    that day's 00:00 UTC, which the console, the cards and the backtest must not print as a
    release at midnight. A midnight the source did give is printed as such."""
    from radar_alerter.domain import conditions
    from radar_alerter.domain.rules import EarningsRule
    from radar_cli.cards import DayCard, markdown_card
    from radar_schemas import Sector
    from tests.support.earnings import make_report

    rule = EarningsRule(name="earnings_surprise", min_abs_sue=2, min_abs_surprise_pct=15)
    report = make_report("EA", eps_surprise_pct=-22.0)
    midnight = datetime(2026, 11, 18, tzinfo=UTC)
    timed = report.model_copy(update={"reported_at": midnight})  # a release at 00:00Z
    day, clock = "2026-11-18 (day only)", "2026-11-18 00:00"
    for source, line, shown in ((report, day, day), (timed, clock + ":00Z", clock + "Z")):
        (obs,) = conditions.earnings(rule, source, (Sector.GAMING,))
        alert = AlertRaised(
            fingerprint="f2",
            rule=obs.rule,
            status=AlertStatus.FIRING,
            severity=obs.severity,
            labels=obs.labels,
            summary=obs.summary,
            evidence=obs.evidence,
            starts_at=obs.at,
            card=obs.card,
        )
        event = new_event(
            EventType.ALERT_RAISED,
            alert,
            producer="alerter",
            correlation_id="r-1",
            occurred_at=obs.at,
        )
        assert format_alert(event).startswith(f"{line}  FIRING")
        card = "\n".join(markdown_card(DayCard(alert, alert.card, obs.at)))
        assert f"first reported {shown}" in card and card.count(shown) == 2  # and its source


def test_a_sectors_move_counts_stories_an_event_independent_sources() -> None:
    """A sector card's confirmations are the distinct stories behind the move, which one
    publisher may all have told: the digest does not call them independent sources."""
    from radar_cli.cards import DayCard, markdown_card
    from radar_schemas import Polarity, Sector
    from radar_schemas.alerts import CardSource, EventCard

    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    sources = tuple(
        CardSource(document_id=f"d{i}", title=f"t{i}", url=f"https://one.example/{i}")
        for i in range(3)
    )
    for key, shown in (
        ("sector:gaming|sector_score_high", "3 stories"),
        ("story:s-1", "3 independent sources"),
    ):
        card = EventCard(
            key=key,
            polarity=Polarity.POSITIVE,
            sectors=(Sector.GAMING,),
            sources=sources,
            confirmations=3,
            first_seen=at,
        )
        alert = firing("gaming", "s", card=card)
        text = "\n".join(markdown_card(DayCard(alert, card, at)))
        assert f"**warning** · {shown} · first reported" in text
