"""Canonical URLs, scheduling after errors, and the near-duplicate measure (pure code)."""

import json
import random
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

from prometheus_client import CollectorRegistry

from radar_news.domain.schedule import next_delay_s
from radar_news.domain.stories import (
    SIMILARITY_THRESHOLD,
    Signature,
    novelty,
    shingles,
    signature,
    signatures,
)
from radar_news.domain.urls import canonical_url, resolve
from radar_news.metrics import NewsMetrics
from radar_schemas import NewsItemIngested

NOW = datetime(2026, 11, 26, tzinfo=UTC)
# A real wire story (Nvidia's results of 20 Nov 2024) and a reworded copy of it.
STORY = (
    "Nvidia reports record quarterly revenue of $35.1 billion as data center sales jump 112%",
    "Nvidia said on Wednesday that revenue for the third quarter rose to $35.1 billion, driven "
    "by demand for its Hopper and Blackwell AI chips from cloud providers, and forecast "
    "fourth-quarter revenue of about $37.5 billion.",
)
REWORDED = (
    "Nvidia posts record $35.1 billion in quarterly revenue on 112% data center jump",
    "Third-quarter revenue climbed to $35.1 billion, Nvidia said Wednesday, as cloud providers "
    "bought its Hopper and Blackwell AI chips; the company expects about $37.5 billion in "
    "fourth-quarter revenue.",
)
OTHER = (
    "Daseke shares look cheap despite mixed results",
    "Daseke has had some mixed results as of late, but the company is, on the whole, on a "
    "rather solid footing right now. Shares are expensive relative to similar firms.",
)


def item(title: str, text: str) -> NewsItemIngested:
    return NewsItemIngested(item_id="n-1", source="s", title=title, text=text, published_at=NOW)


def test_canonical_url_drops_tracking_fragment_and_default_port() -> None:
    url = "HTTPS://WWW.Example.COM:443/a/B?id=7&utm_source=rss&utm_medium=x&fbclid=1#top"
    assert canonical_url(url) == "https://www.example.com/a/B?id=7"
    assert canonical_url("http://h.example:8080") == "http://h.example:8080/"
    assert canonical_url("mailto:a@b") == "mailto:a@b"
    assert resolve("/x/y", "https://example.com/feed.xml") == "https://example.com/x/y"
    assert resolve("https://a.example/z", "https://example.com/") == "https://a.example/z"


def test_backoff_grows_with_jitter_and_honours_retry_after() -> None:
    assert next_delay_s(60, 0, None, 0.5) == 60
    rng = random.Random(1)
    first = [next_delay_s(60, 1, None, rng.random()) for _ in range(50)]
    third = [next_delay_s(60, 3, None, rng.random()) for _ in range(50)]
    assert all(60 <= d <= 120 for d in first) and len(set(first)) > 1
    assert all(240 <= d <= 480 for d in third)
    assert next_delay_s(60, 1, 900, 0.0) == 900


def test_novelty_decays_along_a_chain() -> None:
    assert [novelty(i) for i in range(5)] == [100, 75, 56, 42, 32]


def test_reworded_copy_is_similar_and_unrelated_news_is_not() -> None:
    story, reworded, other = (signature(item(*x)) for x in (STORY, REWORDED, OTHER))
    assert story and reworded and other
    # Exact Jaccard of the two shingle sets is 0.66; the estimate is well above the threshold.
    assert story.similarity(reworded) >= SIMILARITY_THRESHOLD + 0.1
    assert story.similarity(other) < 0.2
    assert set(story.band_keys) & set(reworded.band_keys)
    assert signature(item("AI", "")) is None  # too short to compare


def test_signatures_together_equal_one_at_a_time_and_survive_storage() -> None:
    items = [item(*STORY), item("AI", ""), item(*REWORDED), item(*OTHER)]
    together = signatures(items)
    assert together == [signature(i) for i in items]
    assert together[1] is None
    story = together[0]
    assert story and len(story.values) == 128 * 4
    assert Signature.from_hex(story.values.hex()) == story
    assert story.similarity(story) == 1.0


def test_similarity_is_the_share_of_equal_values() -> None:
    rng = random.Random(3)
    for equal in (0, 1, 31, 64, 127, 128):
        mine = [rng.getrandbits(32) for _ in range(128)]
        theirs = list(mine)
        for index in rng.sample(range(128), 128 - equal):
            # Differ in one bit anywhere in the value, so every bit position is exercised.
            theirs[index] ^= 1 << rng.randrange(32)
        a, b = Signature.from_values(mine), Signature.from_values(theirs)
        assert a.similarity(b) == b.similarity(a) == equal / 128


def test_band_keys_name_each_band_by_its_rows() -> None:
    rng = random.Random(5)
    values = [rng.getrandbits(32) for _ in range(128)]
    changed = list(values)
    changed[4 * 7 + 2] ^= 1 << 31  # one bit of one row of band 7
    keys, other = Signature.from_values(values).band_keys, Signature.from_values(changed).band_keys
    assert len(keys) == len(set(keys)) == 32 and all(len(k) <= 18 for k in keys)
    assert [i for i, (a, b) in enumerate(zip(keys, other, strict=True)) if a != b] == [7]
    # The same rows in another band are another key.
    moved = values[4:8] + values[:4] + values[8:]
    assert Signature.from_values(moved).band_keys[0] != keys[0]


def test_band_keys_keep_their_stored_form() -> None:
    """Keys stored by earlier releases must still match: the band's number in hex, then the
    XOR of its two 64-bit halves (little-endian rows) as 16 hex digits."""
    rng = random.Random(11)
    for _ in range(200):
        values = [rng.getrandbits(32) for _ in range(128)]
        halves = [values[i] | values[i + 1] << 32 for i in range(0, 128, 2)]
        expected = [f"{b:x}{halves[2 * b] ^ halves[2 * b + 1]:016x}" for b in range(32)]
        assert Signature.from_values(values).band_keys == expected


def test_the_lead_is_the_first_words_of_the_text_however_long() -> None:
    words = [f"word{i}" for i in range(400)]
    spaced = (" " * 20).join(words)  # 120 words fill more than the prefix searched first
    assert shingles("", spaced) == set(words[:120])
    assert shingles("", " ".join(words)) == set(words[:120])
    assert shingles("Title", "short text") == {"title", "short", "text"}


def test_metric_feed_label_takes_configured_names_only() -> None:
    metrics = NewsMetrics(CollectorRegistry(), ["heise", "wire"])
    assert metrics.feed("heise") == "heise"
    assert metrics.feed("https://evil.example/?x=1") == "other"


def test_unrelated_real_news_stays_below_the_chain_threshold(fixtures: Path) -> None:
    """No two distinct finance summaries of the background set would be chained."""
    lines = (fixtures / "news/background.jsonl").read_text().splitlines()
    rows = [json.loads(line) for line in lines]
    texts = {((r.get("title") or "")[:1000], r.get("text") or "") for r in rows}
    items = [
        NewsItemIngested(item_id=f"b{i}", source="b", title=t, text=x, published_at=NOW)
        for i, (t, x) in enumerate(sorted(texts))
    ]
    sigs = [s for s in map(signature, items) if s is not None]
    assert len(sigs) > 300
    assert max(a.similarity(b) for a, b in combinations(sigs, 2)) < SIMILARITY_THRESHOLD
