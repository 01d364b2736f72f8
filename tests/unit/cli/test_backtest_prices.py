"""The backtest's price arithmetic, on synthetic prices (made-up numbers chosen so that the
expected returns are exact; not market data)."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from radar_cli.backtest_prices import (
    Prices,
    PricesError,
    measure,
    read_prices,
    rule_returns,
    table,
)
from radar_schemas import AlertRaised, AlertStatus, Polarity, Severity
from radar_schemas.alerts import CardCompany, EventCard

# Synthetic: AAA +10% the next trading day then flat; peers BBB +2%, CCC -2% then flat. A
# weekend (6-7 January 2024) is skipped, as trading calendars do.
DAYS = [date(2024, 1, d) for d in (3, 4, 5, 8, 9, 10, 11, 12)]
SYNTHETIC = {
    "AAA": [100, 110, 110, 110, 110, 110, 110, 110],
    "BBB": [50, 51, 51, 51, 51, 51, 51, 51],
    "CCC": [200, 196, 196, 196, 196, 196, 196, 196],
}


def prices() -> Prices:
    return Prices(
        {
            t: tuple(zip(DAYS, (float(c) for c in closes), strict=True))
            for t, closes in SYNTHETIC.items()
        }
    )


def alert(day: date, *tickers: str | None, sector: str = "gaming") -> AlertRaised:
    companies = tuple(
        CardCompany(entity_id=t or "private", name=t or "Private", ticker=t) for t in tickers
    )
    at = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
    return AlertRaised(
        fingerprint="f" * 16,
        rule="event_card",
        status=AlertStatus.FIRING,
        severity=Severity.INFO,
        labels={"sector": sector},
        summary="synthetic",
        starts_at=at,
        group_key="sector=gaming",
        card=EventCard(key="k", polarity=Polarity.POSITIVE, companies=companies),
    )


def test_next_day_and_next_week_against_the_sector_average() -> None:
    peers = ("AAA", "BBB", "CCC")
    assert measure(prices(), date(2024, 1, 3), "AAA", peers, 1) == (
        pytest.approx(0.10),
        pytest.approx(0.0),  # (+2% - 2%) / 2: the named company itself is left out
    )
    # An alert on a Saturday is measured from Friday's close; five trading days later is
    # the 12th.
    own, average = measure(prices(), date(2024, 1, 6), "AAA", peers, 5)  # type: ignore[misc]
    assert own == pytest.approx(0.0) and average == pytest.approx(0.0)


def test_what_cannot_be_measured_is_counted_with_its_reason() -> None:
    alerts = [
        alert(date(2024, 1, 3), "AAA", None),  # a private company: no ticker
        alert(date(2024, 1, 2), "AAA"),  # before the first price
        alert(date(2024, 1, 10), "AAA"),  # a week later is past the last price
        alert(date(2024, 1, 3), "ZZZ"),  # no prices at all for this ticker
        alert(date(2024, 1, 3)),  # no company on the card
        alert(date(2024, 1, 3), "AAA", sector="film_tv"),  # a sector with no peers priced
    ]
    stats = rule_returns(alerts, prices(), {"gaming": ("AAA", "BBB", "CCC")})
    day, week = stats["next day"], stats["next week"]
    assert day.returns == [pytest.approx(0.10), pytest.approx(0.0), pytest.approx(0.10)]
    assert day.excess == [pytest.approx(0.10), pytest.approx(0.0)]
    assert dict(day.missing) == {
        "no ticker": 1,
        "no price on or before the alert": 2,
        "no company named": 1,
        "no sector average": 1,
    }
    assert week.missing["no price after the horizon"] == 1
    lines = table({"event_card": alerts}, prices(), {"gaming": ("AAA", "BBB", "CCC")})
    assert lines[1].split()[:8] == [
        "event_card",
        "next",
        "day",
        "3",
        "+6.67%",
        "+0.00%",
        "+5.00%",
        "2",
    ]


def test_a_price_file_with_a_bad_row_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("Date,Ticker,Close\n2024-01-03,aaa,100\n2024-01-04,AAA,110\n")
    assert read_prices(path).close_on("AAA", date(2024, 1, 4)) == 110.0
    path.write_text("date,ticker,close\n2024-01-03,AAA,100\n2024-01-04,AAA,-1\n")
    with pytest.raises(PricesError, match=":3: a close must be a positive number"):
        read_prices(path)
    path.write_text("day,symbol,price\n")
    with pytest.raises(PricesError, match="date, ticker and close"):
        read_prices(path)
