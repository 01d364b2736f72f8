"""When the scorer's intervals close and which sectors they update (domain/watermark)."""

from radar_scorer.domain.watermark import (
    FAR_MS,
    Timing,
    interval_end_ms,
    updates_sector,
    watermark_ms,
)

TIMING = Timing(lateness_ms=900_000, idle_ms=10_000, refresh_ms=3_600_000)


def test_a_signal_belongs_to_the_interval_ending_at_or_after_it() -> None:
    assert interval_end_ms(0, 300_000) == 0
    assert interval_end_ms(1, 300_000) == 300_000  # one µs past an end: the next interval
    assert interval_end_ms(300_000_000, 300_000) == 300_000  # exactly at an end: that one
    assert interval_end_ms(300_000_001, 300_000) == 600_000
    assert interval_end_ms(-1, 300_000) == 0


def test_the_watermark_trails_the_newest_signal_until_the_feed_goes_idle() -> None:
    assert watermark_ms(None, None, timing=TIMING, wall_ms=0) is None
    newest, admitted = 5_000_000, 1_000
    assert watermark_ms(newest, admitted, timing=TIMING, wall_ms=admitted + 9_999) == 4_100_000
    assert watermark_ms(newest, admitted, timing=TIMING, wall_ms=admitted + 10_000) == FAR_MS
    closed = watermark_ms(newest, admitted, timing=TIMING, wall_ms=admitted, everything=True)
    assert closed == FAR_MS


def test_a_sector_is_updated_for_its_signals_or_once_its_last_update_is_stale() -> None:
    assert updates_sector(waiting=True, last_as_of_ms=None, end_ms=0, refresh_ms=10)
    assert not updates_sector(waiting=False, last_as_of_ms=None, end_ms=100, refresh_ms=10)
    assert not updates_sector(waiting=False, last_as_of_ms=95, end_ms=100, refresh_ms=10)
    assert updates_sector(waiting=False, last_as_of_ms=90, end_ms=100, refresh_ms=10)
