"""When inputs may be decided (the watermark) and in what order they are."""

from datetime import UTC, datetime

from radar_alerter.domain.watermark import InputKind, Marks, cutoff, input_key

HOUR_MS = 3_600_000


def test_the_watermark_trails_the_newest_input_by_the_allowed_lateness() -> None:
    marks = Marks(newest_ms=10 * HOUR_MS, released_ms=None, admitted_wall_ms=1_000)
    assert cutoff(marks, lateness_ms=HOUR_MS, idle_ms=60_000, wall_ms=2_000) == 9 * HOUR_MS


def test_nothing_new_is_released_until_the_watermark_moves() -> None:
    marks = Marks(newest_ms=10 * HOUR_MS, released_ms=9 * HOUR_MS, admitted_wall_ms=1_000)
    assert cutoff(marks, lateness_ms=HOUR_MS, idle_ms=60_000, wall_ms=2_000) is None
    assert cutoff(Marks(None, None, None), lateness_ms=0, idle_ms=1, wall_ms=5) is None


def test_a_quiet_feed_or_the_end_of_a_replay_releases_everything() -> None:
    marks = Marks(newest_ms=10 * HOUR_MS, released_ms=9 * HOUR_MS, admitted_wall_ms=1_000)
    idle = cutoff(marks, lateness_ms=HOUR_MS, idle_ms=60_000, wall_ms=61_000)
    asked = cutoff(marks, lateness_ms=HOUR_MS, idle_ms=60_000, wall_ms=2_000, everything=True)
    assert idle == asked == 10 * HOUR_MS


def test_inputs_of_one_moment_are_decided_earnings_then_documents_then_scores() -> None:
    at = datetime(2026, 11, 1, tzinfo=UTC)
    keys = [
        input_key(InputKind.SCORE, "gaming", at),
        input_key(InputKind.DOCUMENT, "doc-b", at),
        input_key(InputKind.DOCUMENT, "doc-a", at),
        input_key(InputKind.EARNINGS, "ea-q3", at),
    ]
    assert [k.split("|")[1] for k in sorted(keys)] == ["ea-q3", "doc-a", "doc-b", "gaming"]
    assert input_key(InputKind.SCORE, "gaming", at) != input_key(
        InputKind.SCORE, "gaming", datetime(2026, 11, 2, tzinfo=UTC)
    )
