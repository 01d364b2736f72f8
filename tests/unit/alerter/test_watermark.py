"""When inputs may be decided (the watermark) and in what order they are."""

from datetime import UTC, datetime

from radar_alerter.domain.watermark import InputKind, Marks, cutoff, input_key

HOUR_MS = 3_600_000
DOCS, SCORES = InputKind.DOCUMENT, InputKind.SCORE


def test_the_watermark_trails_the_slowest_active_input_by_the_allowed_lateness() -> None:
    # Score updates trail the documents they come from: documents wait for them.
    marks = Marks({DOCS: 10 * HOUR_MS, SCORES: 6 * HOUR_MS}, {DOCS: 1_000, SCORES: 1_500}, None)
    assert cutoff(marks, lateness_ms=HOUR_MS, idle_ms=60_000, wall_ms=2_000) == 5 * HOUR_MS


def test_an_idle_input_is_not_waited_for() -> None:
    # No score update for a minute (a sector with nothing new): documents go on.
    marks = Marks({DOCS: 10 * HOUR_MS, SCORES: 6 * HOUR_MS}, {DOCS: 60_000, SCORES: 0}, None)
    assert cutoff(marks, lateness_ms=HOUR_MS, idle_ms=60_000, wall_ms=61_000) == 9 * HOUR_MS


def test_nothing_new_is_released_until_the_watermark_moves() -> None:
    marks = Marks({DOCS: 10 * HOUR_MS}, {DOCS: 1_000}, released_ms=9 * HOUR_MS)
    assert cutoff(marks, lateness_ms=HOUR_MS, idle_ms=60_000, wall_ms=2_000) is None
    assert cutoff(Marks({}, {}, None), lateness_ms=0, idle_ms=1, wall_ms=5) is None


def test_a_quiet_feed_or_the_end_of_a_replay_releases_everything() -> None:
    marks = Marks({DOCS: 10 * HOUR_MS, SCORES: 8 * HOUR_MS}, {DOCS: 1_000, SCORES: 1_000}, None)
    idle = cutoff(marks, lateness_ms=HOUR_MS, idle_ms=60_000, wall_ms=61_000)
    asked = cutoff(marks, lateness_ms=HOUR_MS, idle_ms=60_000, wall_ms=2_000, everything=True)
    assert idle == asked == 10 * HOUR_MS


def test_inputs_of_one_moment_are_decided_earnings_then_documents_then_scores() -> None:
    at = datetime(2026, 11, 1, tzinfo=UTC)
    keys = [
        input_key(SCORES, "gaming", at),
        input_key(DOCS, "doc-b", at),
        input_key(DOCS, "doc-a", at),
        input_key(InputKind.EARNINGS, "ea-q3", at),
    ]
    assert [k.split("|")[1] for k in sorted(keys)] == ["ea-q3", "doc-a", "doc-b", "gaming"]
    assert input_key(SCORES, "gaming", at) != input_key(
        SCORES, "gaming", datetime(2026, 11, 2, tzinfo=UTC)
    )
