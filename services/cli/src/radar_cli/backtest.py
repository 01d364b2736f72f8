"""``radar backtest FILES… [--rules YAML]``: replay history through the tagger, scorer and
alerter in this process, under a prefix of its own (removed afterwards unless ``--keep``), and
print per rule how many alerts fired, on which events, with their cards.

News (JSON lines, feeds) goes through news ingest (duplicates dropped, story chains with
novelty) in event-time order; earnings calendars go to the earnings stream. Without
REDIS_URL a Redis server is started for the run and stopped after it.
"""

import argparse
import asyncio
import json
import os
import sys
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from radar_alerter.app import make_setup as alerter_setup
from radar_alerter.domain.cards import stamp, unnoticed
from radar_alerter.domain.load import RulesError, load_rules
from radar_alerter.replay_end import close_replay
from radar_alerter.settings import DEFAULT_RULES_FILE, AlerterSettings
from radar_news.adapters.state import NewsState
from radar_news.ingest import Ingest
from radar_runtime import EmbeddedRedis, RuntimeMetrics, RuntimeSettings, connect, drained
from radar_runtime.logs import configure_logging
from radar_runtime.service import Runtime
from radar_schemas import AlertRaised, AlertStatus, Envelope, NewsItemIngested, encode
from radar_scorer.app import make_setup as scorer_setup
from radar_scorer.replay_end import close_replay as close_scores
from radar_scorer.settings import ScorerSettings
from radar_tagger.app import make_setup as tagger_setup
from radar_tagger.settings import TaggerSettings

from . import connection
from . import replay as replay_mod
from .backtest_prices import Prices, PricesError, read_prices, section
from .cards import one_line
from .digest import read_alerts
from .errors import CommandError, require_files
from .jsonlines import Skipped

Setup = Callable[[Runtime], Awaitable[None]]
_WHOLE_REPLAY_S = 100 * 365 * 24 * 3600.0  # an allowed lateness no history exceeds


@dataclass(frozen=True)
class Inputs:
    """What the files hold: dated news in event-time order, earnings reports, and how many
    news items had no date (left out: stamped with the time of the run they would all be
    one day's news, and unrelated reports of one company would become one event)."""

    news: list[NewsItemIngested]
    earnings: list[Envelope[Any]]
    undated: int


def read_inputs(paths: list[Path], kind: str) -> Inputs:
    news: list[NewsItemIngested] = []
    earnings: list[Envelope[Any]] = []
    for path in paths:
        file_kind = replay_mod.detect_kind(path) if kind == "auto" else kind
        skipped = Skipped()
        try:
            stream, events = replay_mod.events_for(path, file_kind, path.stem, "backtest", skipped)
        except replay_mod.NotAFeed as exc:  # the other files are still read
            print(f"radar: {path}: not a feed, left out: {exc}", file=sys.stderr)
            continue
        except (OSError, ValueError, RecursionError) as exc:
            reason = "too deeply nested" if isinstance(exc, RecursionError) else exc
            raise CommandError(f"{path}: not a readable {file_kind} file: {reason}") from None
        if skipped.count():
            print(f"radar: {path}: {skipped.summary()}", file=sys.stderr)
        if stream == "news":
            news += [event.payload for _, event in events]
        else:
            earnings += [event for _, event in events]
    dated = sorted(
        (item for item in news if not item.published_estimated),
        key=lambda item: (item.published_at, item.item_id),
    )
    earnings.sort(key=lambda event: (event.occurred_at, event.event_id))
    return Inputs(dated, earnings, len(news) - len(dated))


async def _run_services(
    redis: "Redis", runs: list[tuple[Runtime, Setup]], timeout_s: float
) -> None:
    """Run the consumers of each service until every group has read and acknowledged all."""
    for rt, setup in runs:
        await setup(rt)
    runtimes = [rt for rt, _ in runs]
    consumers = [c for rt in runtimes for c in rt.consumers]
    tasks = [asyncio.create_task(c.run()) for c in consumers]
    try:
        async with asyncio.timeout(timeout_s):
            while not await drained(redis, consumers):  # noqa: ASYNC110 - polls Redis
                await asyncio.sleep(0.1)
    except TimeoutError:
        raise CommandError(f"the replay did not finish within {timeout_s:g} s") from None
    finally:
        for consumer in consumers:
            consumer.stop()
        await asyncio.gather(*tasks)


async def backtest(
    redis_url: str, prefix: str, inputs: Inputs, rules: Path, timeout_s: float
) -> list[Envelope[Any]]:
    """Replay the inputs under ``prefix``; the alert entries they raise."""
    news_items, earnings = inputs.news, inputs.earnings
    base: dict[str, Any] = {
        "REDIS_URL": redis_url,
        "stream_prefix": prefix,
        "consumer_name": "backtest",
        "block_ms": 100,
        "log_level": "warning",
    }
    redis = connect(redis_url)
    try:
        settings = RuntimeSettings(**base)
        news = Runtime("news", settings, redis, RuntimeMetrics())
        if news_items:
            await Ingest(news, NewsState(redis, prefix, 30 * 24 * 3600)).ingest(
                news_items, datetime.now(UTC)
            )
        await news.publisher.add([(settings.streams.earnings, encode(e)) for e in earnings])
        tagger = TaggerSettings(**base)
        # Every input waits for the end of the replay: score updates and decisions in
        # event-time order whatever the order inputs reach the scorer and alerter in.
        scorer = ScorerSettings(**base, allowed_lateness_s=_WHOLE_REPLAY_S)
        alerter = AlerterSettings(**base, rules_file=rules, allowed_lateness_s=_WHOLE_REPLAY_S)

        def alerter_run() -> tuple[Runtime, Setup]:
            return Runtime("alerter", alerter, redis, RuntimeMetrics()), alerter_setup(alerter)

        runs: list[tuple[Runtime, Setup]] = [
            (Runtime("tagger", tagger, redis, RuntimeMetrics()), tagger_setup(tagger)),
            (Runtime("scorer", scorer, redis, RuntimeMetrics()), scorer_setup(scorer)),
            alerter_run(),
        ]
        await _run_services(redis, runs, timeout_s)
        # The end: the scorer's last intervals, then the alerter reads their updates and
        # closes its own last window.
        await close_scores(redis, scorer)
        await _run_services(redis, [alerter_run()], timeout_s)
        await close_replay(redis, alerter)
        return await read_alerts(redis, settings.streams.alerts)
    finally:
        await redis.aclose()


async def _remove(redis_url: str, prefix: str) -> None:
    redis = connect(redis_url)
    try:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}:*", count=1000)]
        for start in range(0, len(keys), 500):
            await redis.delete(*keys[start : start + 500])
    finally:
        await redis.aclose()


def _alerts(events: list[Envelope[Any]]) -> dict[str, list[tuple[AlertRaised, int]]]:
    """Per rule, each alert (fingerprint and start) once, as last notified firing, with how
    many times it was notified firing."""
    newest: dict[tuple[str, datetime], AlertRaised] = {}
    times: dict[tuple[str, datetime], int] = defaultdict(int)
    for event in events:
        alert: AlertRaised = event.payload
        if alert.status is AlertStatus.FIRING:
            newest[(alert.fingerprint, alert.starts_at)] = alert
            times[(alert.fingerprint, alert.starts_at)] += 1
    by_rule: dict[str, list[tuple[AlertRaised, int]]] = defaultdict(list)
    for key, alert in sorted(newest.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        by_rule[alert.rule].append((alert, times[key]))
    return dict(sorted(by_rule.items()))


_TITLE_CHARS = 120  # a story's title on an alert's line, longer ones cut at a word with "…"


def _line(alert: AlertRaised, notifications: int) -> str:
    """One alert: its start, its newest severity and summary (without the "still firing
    since" or "update" its repeats carry: the start is shown), how often it was notified,
    then the title and link of its first source with a link (what happened), on one line."""
    sources = alert.card.sources if alert.card else ()
    lead = next(((s.title, s.url) for s in sources if s.url), None)
    lead = lead or next(((e.title, e.url) for e in alert.evidence if e.url), None)
    title, link = lead or ("", None)
    when = stamp(alert.starts_at, alert.card)
    times = f" [notified {notifications} times]" if notifications > 1 else ""
    summary = unnoticed(alert.summary)
    story = f"  — {one_line(title, _TITLE_CHARS)}" if title.strip() else ""
    return (
        f"  {when}  {alert.severity.value:<8} {summary}{times}{story}{'  ' + link if link else ''}"
    )


def report(
    events: list[Envelope[Any]],
    inputs: Inputs,
    rules: Path,
    prefix: str,
    kept: bool,
    prices: tuple[Path, Prices] | None = None,
) -> str:
    by_rule = _alerts(events)
    lines = [
        f"backtest: {len(inputs.news)} news item{'s' if len(inputs.news) != 1 else ''},"
        f" {len(inputs.earnings)} earnings report{'s' if len(inputs.earnings) != 1 else ''}"
        f" ({inputs.undated} undated news items left out); rules {rules};"
        f" prefix {prefix}{' (kept)' if kept else ' (removed)'}",
        "",
        f"{'rule':<24} {'alerts':>6} {'notifications':>13}",
    ]
    names = sorted({r.name for r in load_rules(rules).rules})
    for name in names:
        alerts = by_rule.get(name, [])
        notified = sum(times for _, times in alerts)
        lines.append(f"{name:<24} {len(alerts):>6} {notified:>13}")
    for name, alerts in by_rule.items():
        lines += ["", f"{name} ({len(alerts)}):"]
        for alert, times in alerts:
            lines.append(_line(alert, times))
            if alert.card and alert.card.why_now:
                lines.append(f"      why now: {alert.card.why_now}")
    if prices is not None:
        alerts_only = {rule: [alert for alert, _ in alerts] for rule, alerts in by_rule.items()}
        lines += section(alerts_only, prices[1], prices[0])
    return "\n".join(lines) + "\n"


def _prices(name: str | None) -> tuple[Path, Prices] | None:
    """The --prices file, read before the replay so that a bad one fails at once."""
    if name is None:
        return None
    require_files([Path(name)])  # "no such file: …", as every command says it
    try:
        return Path(name), read_prices(Path(name))
    except (OSError, PricesError) as exc:
        raise CommandError(f"prices: {exc}") from exc


def run(args: argparse.Namespace) -> int:
    """Run the backtest and print what each rule raised."""
    paths = [Path(f) for f in args.files]
    require_files(paths)
    rules = Path(args.rules) if args.rules else DEFAULT_RULES_FILE
    try:
        load_rules(rules)
    except RulesError as exc:
        raise CommandError(str(exc)) from exc
    prices = _prices(args.prices)
    configure_logging("warning")
    inputs = read_inputs(paths, args.kind)
    if not inputs.news and not inputs.earnings:
        undated = f" ({inputs.undated} undated news items left out)" if inputs.undated else ""
        raise CommandError(f"nothing to backtest: no dated news item or earnings report{undated}")
    prefix = f"backtest-{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory(prefix="radar-backtest-") as scratch:
        given = any(os.environ.get(name) for name in connection.URL_ENV)
        embedded = None if given else EmbeddedRedis(Path(scratch))
        if embedded is None:
            target = connection.target()
            asyncio.run(connection.check(target))  # unreachable: one line, exit 1
            redis_url = target.url
            where = f"the Redis at {target.described}"
        else:
            redis_url = embedded.start()
            where = "a Redis of its own, started for it and stopped after (no REDIS_URL set)"
        print(f"radar: backtest on {where}", file=sys.stderr)
        try:
            events = asyncio.run(backtest(redis_url, prefix, inputs, rules, args.timeout))
            if not args.keep:
                asyncio.run(_remove(redis_url, prefix))
        finally:
            if embedded is not None:
                embedded.stop()
    if args.json:
        for alerts in _alerts(events).values():
            for alert, _ in alerts:
                print(json.dumps(alert.model_dump(mode="json"), ensure_ascii=False))
    else:
        keep = args.keep and embedded is None
        print(report(events, inputs, rules, prefix, keep, prices), end="")
    firing = sum(e.payload.status is AlertStatus.FIRING for e in events)
    print(
        f"radar: backtest done: {len(events)} alert notifications"
        f" ({firing} firing, as counted above; {len(events) - firing} resolved)",
        file=sys.stderr,
    )
    return 0
