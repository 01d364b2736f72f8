"""`radar digest` on the cards of a real replay, and `radar scores` at a time that includes the
newest signal, each saying which time it shows; both as real processes on a real Redis."""

import json
import re
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from radar_schemas import Contribution, Sector, Streams, Theme
from radar_scorer.state import ScoreStore

from ..support.processes import service_env
from .test_cards_replay import SYNDICATED, dev_items, replay
from .test_cli import radar


async def test_digest_prints_the_days_cards_by_sector_with_clear_errors(
    redis: Redis, redis_url: str, prefix: str
) -> None:
    env = service_env(redis_url, prefix)
    empty = radar(env, "digest")
    assert empty.returncode == 0 and empty.stdout.strip() == "no alerts yet"
    # where it looked, password hidden: run from another directory, it reads another Redis
    assert f"read {prefix}:alerts at redis://" in empty.stderr
    url_shown = empty.stderr.split(" at ", 1)[1].split()[0]
    assert "(URL from REDIS_URL)" in empty.stderr and "@" not in url_shown
    await replay(redis, redis_url, prefix, dev_items())

    disney = radar(env, "digest", "--date", "2025-12-11")
    assert disney.returncode == 0, disney.stderr
    text = disney.stdout
    assert text.startswith("# Radar digest: 2025-12-11\n")
    # what the day holds, counted by kind: one story's cards apart from a sector's moves
    counted = re.search(
        r"^(\d+) event cards?( and (\d+) sector alerts?)? in (\d+) sectors?;", text, re.M
    )
    assert counted is not None, text
    events = re.findall(r"^### . (?:Positive|Negative|Neutral) · ", text, re.M)
    assert len(events) == int(counted[1]), text
    assert text.count("\n### ") == len(events) + int(counted[3] or 0), text
    # The story carries AI+IP and AI film/TV: the card leads with the one tagged surer.
    lead = re.search(
        r"^### ▲ Positive · (AI\+IP|AI film/TV) · OpenAI, Walt Disney \(DIS\)$", text, re.M
    )
    assert lead is not None, text
    assert ("## IP & media (1)" if lead[1] == "AI+IP" else "## Film & TV (1)") in text
    assert "**warning** · 2 independent sources · first reported 2025-12-1" in text
    assert "(https://urbanscroll.com/?p=11059)" in text and "$1B" in text
    assert f"- **Why now:** positive {lead[1]} news for OpenAI, Walt Disney (DIS)" in text

    newest = radar(env, "digest")
    assert newest.returncode == 0 and "(the newest day with alerts" in newest.stdout
    # with a sector and no date: that sector's newest day, not the newest day of all. The
    # Disney card reaches film/TV and IP & media; the sector where it is the newest card
    # (the other may have a later story) shows the day a second source confirmed it.
    assert not newest.stdout.startswith("# Radar digest: 2025-12-11\n")
    owns = {s: radar(env, "digest", "--sector", s) for s in ("film_tv", "ip_media")}
    assert all(own.returncode == 0 for own in owns.values())
    for sector, own in owns.items():
        assert f"(the newest day with alerts in {sector}; --date for another)" in own.stdout
    shown = [own.stdout for own in owns.values() if "Walt Disney (DIS)" in own.stdout]
    assert shown and all(t.startswith("# Radar digest: 2025-12-12\n") for t in shown), owns
    assert any(not own.stdout.startswith(newest.stdout.split("\n", 1)[0]) for own in owns.values())

    # no day has an alert in it: said so, not the oldest day shown with no card in it (the
    # Disney card's alerts alone, copied as stored, as every sector has one in the replay)
    only = f"{prefix}-disney"
    for _, fields in await redis.xrange(Streams(prefix).alerts):
        if any("Walt Disney" in value for value in fields.values()):
            await redis.xadd(Streams(only).alerts, fields)
    none = radar(service_env(redis_url, only), "digest", "--sector", "enterprise_software")
    assert none.returncode == 0, none.stderr
    assert none.stdout == "no alerts in enterprise_software yet\n"
    gaming = radar(env, "digest", "--sector", "gaming", "--date", "2027-01-15")
    assert gaming.returncode == 0, gaming.stderr
    assert "## Gaming" in gaming.stdout and "## Marketing" not in gaming.stdout
    assert "### ▼ Negative · earnings · Take-Two Interactive (TTWO)" in gaming.stdout
    assert "shares -13%" in gaming.stdout  # what fell, as the text says

    lines = radar(env, "digest", "--json", "--date", "2026-01-28")
    assert lines.returncode == 0, lines.stderr
    rows = [json.loads(line) for line in lines.stdout.splitlines()]
    (meta,) = [r for r in rows if r["rule"] == "event_card"]
    assert meta["date"] == "2026-01-28" and meta["sector"] == "marketing"
    assert [c["ticker"] for c in meta["card"]["companies"]] == ["META"]
    # As the alerter holds the card: the syndicated copy joined it after its notification.
    sources = meta["card"]["sources"]
    assert [s["document_id"] for s in sources] == [SYNDICATED, f"{SYNDICATED}-syndicated"]
    assert all(s["url"].startswith("https://") for s in sources)

    for args, message in [
        (("--date", "2026-13-01"), "radar: --date: expected a day as YYYY-MM-DD, got '2026-13-01'"),
        (("--date", "yesterday"), "radar: --date: expected a day as YYYY-MM-DD"),
        (("--sector", "movies"), "radar: --sector: unknown sector 'movies' (one of: marketing,"),
    ]:
        bad = radar(env, "digest", *args)
        assert bad.returncode == 2 and bad.stdout == "", bad.stderr
        assert bad.stderr.startswith(message) and bad.stderr.count("\n") == 1, bad.stderr


async def test_scores_default_to_the_newest_signal_and_say_which_time(
    redis: Redis, redis_url: str, prefix: str
) -> None:
    store = ScoreStore(redis, prefix)
    start = datetime(2026, 11, 20, 9, tzinfo=UTC)
    newest = start + timedelta(hours=2, milliseconds=500, microseconds=250)  # an estimated time
    for document_id, at, delta in [("older", start, 0.25), ("newest", newest, 0.5)]:
        share = Contribution(
            document_id=document_id, title=f"{document_id} doc", delta=delta, at=at,
            theme=Theme.AI_GAMING,
        )  # fmt: skip
        await store.fold(Sector.GAMING, document_id, share)
    env = service_env(redis_url, prefix)

    table = radar(env, "scores", "--json")
    assert table.returncode == 0, table.stderr
    (row,) = json.loads(table.stdout)
    assert row["as_of"] == "2026-11-20T11:00:00.500250Z" and row["signals"] == 2
    assert row["top_contributors"][0]["document_id"] == "newest"
    assert row["score"] > 0.5  # the newest signal counts in full, the older one decayed

    text = radar(env, "scores")
    assert text.returncode == 0, text.stderr
    first, *rest = text.stdout.splitlines()
    assert first == "sector scores at 2026-11-20T11:00:00.500250Z (event time, the newest signal)"
    assert any("top: newest doc (2026-11-20 11:00Z)" in line for line in rest)
    asked = radar(env, "scores", "--at", "2026-11-20T10:00Z")
    assert asked.stdout.startswith("sector scores at 2026-11-20T10:00:00Z (event time, as asked)")
    now = radar(env, "scores", "--at", "now")
    assert "(event time, now)" in now.stdout.splitlines()[0]
