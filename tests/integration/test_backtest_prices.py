"""`radar backtest --prices` as a real process on real news: per rule, the next-day and
next-week return of the companies on its cards against their sector's average, with what
could not be measured counted. The prices are synthetic (written by this test around one
alert's date so that the expected returns are exact); they are not market data."""

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from radar_cli.backtest_prices import sector_tickers
from radar_reference import load_companies

from ..support.processes import service_env
from .test_cards_backtest import RULES
from .test_cli import radar


def trading_days(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def isolated(alerts: list[dict[str, Any]]) -> tuple[date, str, str]:
    """An alert's day, a ticker on its card and its sector, the ticker on no other card
    within three weeks (so the synthetic series measures this alert alone)."""
    named = [
        (date.fromisoformat(a["starts_at"][:10]), c["ticker"], a["labels"]["sector"])
        for a in alerts
        for c in a["card"]["companies"]
        if c["ticker"]
    ]
    for day, ticker, sector in named:
        near = [d for d, t, _ in named if t == ticker and abs((d - day).days) <= 21]
        if len(near) == 1:
            return day, ticker, sector
    raise AssertionError(f"no isolated alert among {named}")


async def test_backtest_reports_returns_after_each_rules_alerts(
    redis: Redis, redis_url: str, prefix: str, fixtures: Path, tmp_path: Path
) -> None:
    env = service_env(redis_url, prefix)
    dev = fixtures / "eval" / "dev.jsonl"
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    first = radar(env, "backtest", "--json", "--rules", str(rules), str(dev))
    assert first.returncode == 0, first.stderr
    alerts = [json.loads(line) for line in first.stdout.splitlines()]
    day, ticker, sector = isolated(alerts)
    peers = [t for t in sector_tickers(load_companies())[sector] if t != ticker][:2]
    assert len(peers) == 2

    # Synthetic: the named company +10% the next trading day and +20% a week on; its two
    # peers +2% and -2% the next day, flat after. Ten trading days from the alert's day.
    days = trading_days(day, 10)
    series = {
        ticker: [100, 110, 110, 110, 110, 120, 120, 120, 120, 120],
        peers[0]: [50, 51, 51, 51, 51, 51, 51, 51, 51, 51],
        peers[1]: [200, 196, 196, 196, 196, 196, 196, 196, 196, 196],
    }
    prices = tmp_path / "prices.csv"
    rows = [
        f"{d},{t},{c}" for t, closes in series.items() for d, c in zip(days, closes, strict=True)
    ]
    prices.write_text("date,ticker,close\n" + "\n".join(rows) + "\n")

    done = radar(env, "backtest", "--rules", str(rules), "--prices", str(prices), str(dev))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"returns after alerts (prices {prices}: 3 tickers, {days[0]} to {days[-1]})" in out
    lines = {tuple(line.split()[:3]): line.split() for line in out.splitlines()}
    next_day, next_week = lines[("cards", "next", "day")], lines[("cards", "next", "week")]
    # rule, horizon (2 words), n, return, sector, excess, n excess, then the missing counts
    assert next_day[3:8] == ["1", "+10.00%", "+0.00%", "+10.00%", "1"]
    assert next_week[3:8] == ["1", "+20.00%", "+0.00%", "+20.00%", "1"]
    companies = sum(len(a["card"]["companies"]) for a in alerts)
    without_ticker = sum(1 for a in alerts for c in a["card"]["companies"] if not c["ticker"])
    missing = " ".join(next_day[8:])
    assert f"no price on or before the alert: {companies - without_ticker - 1}" in missing
    assert without_ticker == 0 or f"no ticker: {without_ticker}" in missing

    bad = tmp_path / "bad.csv"
    bad.write_text("date,ticker,close\n2024-01-03,AAA,abc\n")
    refused = radar(env, "backtest", "--prices", str(bad), str(dev))
    assert refused.returncode == 2 and "bad.csv:2" in refused.stderr
    absent = radar(env, "backtest", "--prices", str(tmp_path / "nope.csv"), str(dev))
    assert absent.returncode == 2 and f"no such file: {tmp_path / 'nope.csv'}" in absent.stderr
