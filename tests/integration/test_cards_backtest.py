"""`radar backtest` as a real process on a real Redis: real news replayed under a prefix of its
own (removed afterwards), per rule the alerts it raised with their cards; the file's order does
not matter (the replay goes in event-time order)."""

import json
import random
import re
from pathlib import Path

from redis.asyncio import Redis

from ..support.processes import service_env
from .test_cli import radar

RULES = """
group_wait_s: 0
rules:
  - name: cards
    kind: document
    themes: [earnings_result, ai_ip, ai_film_tv, ai_hardware, analyst_rating, ai_marketing]
    min_confidence: 0.7
"""


async def test_backtest_prints_each_rules_alerts_with_their_cards(
    redis: Redis, redis_url: str, prefix: str, fixtures: Path, tmp_path: Path
) -> None:
    env = service_env(redis_url, prefix)
    dev = fixtures / "eval" / "dev.jsonl"
    done = radar(env, "backtest", str(dev))
    assert done.returncode == 0, done.stderr
    assert "radar: backtest on the Redis at redis://" in done.stderr  # says where it ran
    lines = done.stdout.splitlines()
    assert lines[0].startswith("backtest: 45 news items, 0 earnings reports (20 undated")
    table = {line.split()[0]: line.split()[1:] for line in lines[3:12]}
    assert set(table) >= {"event_card", "sector_score_high", "sector_score_low"}
    assert int(table["event_card"][0]) >= 5
    assert "event_card (" in done.stdout
    # Meta's record ad quarter carries AI marketing and results, both at the top confidence:
    # the card leads with either (the taxonomy's order breaks a tie), in the marketing sector.
    lead = re.search(
        r"▲ Marketing: positive (AI marketing|earnings) — Meta Platforms \(META\)", done.stdout
    )
    assert lead is not None, done.stdout
    # the lead story's title, then its link
    assert (
        "— Meta's ad business hits record $58B as AI drives conversion gains"
        "  https://ppc.land/metas-ad-business-hits-record-58b-as-ai-drives-conversion-gains"
    ) in done.stdout
    assert f"why now: positive {lead[1]} news for Meta Platforms (META); amount $58.1B" in (
        done.stdout
    )
    run_prefix = lines[0].split("prefix ")[1].split()[0]
    assert [k async for k in redis.scan_iter(match=f"{run_prefix}:*")] == []  # removed

    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    rows = dev.read_text(encoding="utf-8").splitlines()
    random.Random(7).shuffle(rows)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text("\n".join(rows) + "\n", encoding="utf-8")
    outputs = []
    for path in (dev, shuffled):
        result = radar(env, "backtest", "--json", "--rules", str(rules), str(path))
        assert result.returncode == 0, result.stderr
        outputs.append([json.loads(line) for line in result.stdout.splitlines()])
    assert outputs[0] and outputs[0] == outputs[1]  # the same alerts, whatever the file order
    assert {a["rule"] for a in outputs[0]} == {"cards"}
    assert all(a["card"]["companies"] and a["card"]["sources"][0]["url"] for a in outputs[0])

    missing = radar(env, "backtest", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
