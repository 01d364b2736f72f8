"""One event-time rule for every earnings report, whichever source or producer it comes from:
when the results were made public if the source says so, else the report date's start."""

import json
from datetime import UTC, datetime
from pathlib import Path

from radar_earnings.domain.calendar import parse_calendar
from radar_earnings.domain.documents import EarningsText, read_earnings_text
from radar_earnings.domain.xbrl import parse_companyfacts
from radar_earnings.ingest import report_event
from radar_reference import load_companies
from tests.support.earnings import make_report

EARNINGS = Path(__file__).parents[2] / "fixtures" / "earnings"
FETCHED = datetime(2026, 11, 26, 9, tzinfo=UTC)


def test_report_date_start_without_a_publication_time() -> None:
    report = make_report()
    assert report.reported_at is None
    assert report.event_time == datetime(2026, 11, 18, tzinfo=UTC)


def test_publication_time_when_the_source_gives_one() -> None:
    at = datetime(2026, 11, 18, 21, 5, tzinfo=UTC)
    assert make_report().model_copy(update={"reported_at": at}).event_time == at


def test_every_source_gets_its_event_time_from_the_one_rule() -> None:
    rows = json.loads((EARNINGS / "calendar_fmp_2025-05-09.json").read_text())
    calendar, _ = parse_calendar(rows, "fmp")
    facts = json.loads(
        (EARNINGS / "edgar/CIK0001045810_nvidia_companyfacts_subset.json").read_text()
    )
    filed, _ = parse_companyfacts(facts, "NVDA")
    text = (EARNINGS / "press_releases/adobe_8-K_2023-03-15_EX-99.1_Q1FY2023.txt").read_text()
    meta = EarningsText("adobe.txt", FETCHED)
    release = read_earnings_text(text, meta, load_companies()).report
    assert release is not None and release.reported_at is not None
    for report in [*calendar, *filed, release]:
        _, event = report_event("test", report)
        assert event.occurred_at == report.event_time
    # A calendar row is dated, not timed; a filing and a release say when they came out.
    assert {r.event_time.time() for r in calendar} == {datetime.min.time()}
    assert all(r.event_time == r.reported_at for r in filed)
    assert release.event_time == release.reported_at != FETCHED
