"""When an earnings report happened: the ``occurred_at`` of its event. Pure.

One rule for every producer of ``earnings.reported`` (the calendar, SEC and text pollers,
and ``radar replay``), so a report replayed from a file gets the event time a live poll
gave it: the moment the results were made public when the source says it (an SEC filing's
date, a press release's dateline), else the start of the report date in UTC. Neither
depends on when the report was read, so a replay in any order or a year later agrees.
"""

from datetime import datetime

from radar_schemas import EarningsReported


def report_time(report: EarningsReported) -> datetime:
    """The report's event time: ``reported_at`` when known, else ``report_date`` 00:00 UTC
    (``EarningsReported.event_time``, which the alerter's earnings cards read too)."""
    return report.event_time
