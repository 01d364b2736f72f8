"""The console line of an alert: the lead document's title goes with that document's link."""

from datetime import UTC, datetime, timedelta

import pytest

from radar_cli.tail import format_alert
from radar_schemas import AlertRaised, AlertStatus, EventType, Severity, new_event
from radar_schemas.alerts import AlertEvidence

AT = datetime(2026, 11, 20, 11, 28, tzinfo=UTC)


def score_alert(*evidence: AlertEvidence) -> str:
    alert = AlertRaised(
        fingerprint="f1",
        rule="sector_score_high",
        status=AlertStatus.FIRING,
        severity=Severity.WARNING,
        labels={"sector": "ai_infra"},
        summary="▲ ai_infra up: score 1.12",
        evidence=evidence,
        starts_at=AT,
    )
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
