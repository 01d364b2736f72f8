"""The backtest's list of alerts: each alert once, at its start, with its newest summary
without the "still firing since" its repeats say of themselves."""

from datetime import UTC, datetime, timedelta
from typing import Any

from radar_alerter.domain import cards
from radar_alerter.settings import DEFAULT_RULES_FILE
from radar_cli.backtest import Inputs, report
from radar_schemas import AlertRaised, AlertStatus, Envelope, EventType, Severity, new_event
from radar_schemas.alerts import AlertEvidence

START = datetime(2025, 6, 9, 14, tzinfo=UTC)


def notified(summary: str, at: datetime, severity: Severity) -> Envelope[Any]:
    alert = AlertRaised(
        fingerprint="f-ai-infra",
        rule="sector_score_high",
        status=AlertStatus.FIRING,
        severity=severity,
        labels={"sector": "ai_infra"},
        summary=summary,
        starts_at=START,
    )
    return new_event(
        EventType.ALERT_RAISED, alert, producer="alerter", correlation_id="c", occurred_at=at
    )


def test_a_repeated_alert_is_listed_once_at_its_start_with_its_newest_summary() -> None:
    first = "▲ AI infrastructure up: score 1.20 (fires at 1, resolves below 0.5)"
    newest = "▲ AI infrastructure up: score 9.85 (fires at 1, resolves below 0.5)"
    events = [
        notified(first, START, Severity.WARNING),
        notified(
            cards.repeated(newest, "2025-06-09 14:00Z"),
            START + timedelta(hours=30),
            Severity.CRITICAL,
        ),
    ]
    text = report(events, Inputs([], [], 0), DEFAULT_RULES_FILE, "p", kept=False)
    assert f"  2025-06-09 14:00Z  critical {newest} [notified 2 times]" in text
    assert "still firing since" not in text
    assert "sector_score_high             1             2" in text


def test_an_alerts_story_title_stands_on_its_line_whole_or_cut_at_a_word() -> None:
    alert = notified("▲ AI infrastructure up: score 1.20", START, Severity.WARNING).payload
    long_title = "Nvidia's record quarter\n" + "and what it means for AI chips " * 10
    evidence = AlertEvidence(document_id="d1", title=long_title, url="https://example.com/1")
    event = new_event(
        EventType.ALERT_RAISED,
        alert.model_copy(update={"evidence": (evidence,)}),
        producer="alerter",
        correlation_id="c",
        occurred_at=START,
    )
    text = report([event], Inputs([], [], 0), DEFAULT_RULES_FILE, "p", kept=False)
    (line,) = [line for line in text.splitlines() if "score 1.20" in line]
    assert "  — Nvidia's record quarter and what it means for AI chips and what" in line
    assert line.endswith(" chips…  https://example.com/1")  # cut at a word
    title = line.split("  — ")[1].split("  https://")[0]
    assert 60 < len(title) <= 120
