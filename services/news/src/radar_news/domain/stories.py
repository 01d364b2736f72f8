"""Near-duplicate detection and story chains: MinHash over word shingles, LSH banding.

Syndicated copies and reworded versions of one story share most of their content words
(names, figures, key terms) even when the sentences differ, so the shingles are the
distinct words of the title and lead minus stop words, and two items belong to one story
when the Jaccard similarity of those sets, estimated by MinHash, reaches a threshold.
On real finance news (tests/fixtures/news/background.jsonl, 367 distinct summaries) the
highest estimated similarity between unrelated items is 0.35 (exact Jaccard 0.35); a reworded
copy of a wire story scores 0.59 (exact 0.66)."""

import hashlib
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from rensa import RMinHash  # type: ignore[import-untyped]

from radar_schemas import NewsItemIngested

NUM_PERM = 128
BANDS = 32
ROWS_PER_BAND = NUM_PERM // BANDS  # 4 rows of 32 bits: two 64-bit halves (band_keys)
SIMILARITY_THRESHOLD = 0.45
MIN_SHINGLES = 6
LEAD_WORDS = 120
CHAIN_WINDOW_S = 24 * 3600
NOVELTY_DECAY = 0.75
_SEED = 7
# Signatures of another MinHash algorithm, or band keys of another form, are not comparable:
# stored band keys are named after both, so an upgrade that changes either starts chains
# afresh instead of comparing.
SCHEME = f"r{RMinHash.ALGORITHM_VERSION}x64"
_WORDS = re.compile(r"\w+")
_HALVES, _KEYS = f"<{NUM_PERM // 2}Q", f">{BANDS}Q"  # band keys: 64-bit halves in, hex out
_BAND_PREFIXES = [(band, f"{band:x}") for band in range(BANDS)]
_LOWEST_BITS = sum(1 << (32 * lane) for lane in range(NUM_PERM))  # bit 0 of each value
# The lead is found in a prefix of the text when the prefix holds enough words.
_LEAD_CHARS = 2000
_STOP_WORDS = frozenset(
    _WORDS.findall(
        """a about after all also an and any are as at be been but by can could did do does for
        from had has have he her his how i if in into is it its more most new not of on one or
        our out over said says she so than that the their them there they this to up was we
        were what when which who will with would you"""
    )
)


@dataclass(frozen=True)
class Signature:
    """A MinHash signature (rensa's ``RMinHash``): ``NUM_PERM`` 32-bit values, as
    little-endian bytes."""

    values: bytes

    @classmethod
    def from_values(cls, values: Sequence[int]) -> "Signature":
        return cls(struct.pack(f"<{NUM_PERM}I", *values))

    @classmethod
    def from_hex(cls, text: str) -> "Signature":
        """A stored signature."""
        return cls(bytes.fromhex(text))

    def similarity(self, other: "Signature") -> float:
        """Estimated Jaccard similarity of the two shingle sets: the share of equal values.

        Counted on the signatures as integers: XOR leaves a 32-bit lane zero where the
        values are equal; OR-ing each lane's bits down into its lowest bit and counting
        those bits counts the lanes that differ (2 µs, against 9 µs comparing the 128
        values one by one)."""
        lanes = self._number ^ other._number
        for shift in (16, 8, 4, 2, 1):
            lanes |= lanes >> shift
        return (NUM_PERM - (lanes & _LOWEST_BITS).bit_count()) / NUM_PERM

    @cached_property
    def _number(self) -> int:
        return int.from_bytes(self.values, "little")

    @cached_property
    def band_keys(self) -> list[str]:
        """One key per LSH band: items sharing any band key are candidates for one story.
        The key is the band's number and its four rows folded to 64 bits (the XOR of their
        two halves), in hex: 17 or 18 characters where the rows themselves took 35, for
        each of the 32 fields an item writes to the band hashes. MinHash values are uniform, so
        two different bands fold alike about once in 2^64; that would only make a candidate
        to compare."""
        halves = struct.unpack(_HALVES, self.values)
        folded = struct.pack(
            _KEYS, *[a ^ b for a, b in zip(halves[0::2], halves[1::2], strict=True)]
        ).hex()
        return [prefix + folded[16 * band : 16 * band + 16] for band, prefix in _BAND_PREFIXES]


def _lead(text: str) -> list[str]:
    """The first ``LEAD_WORDS`` words of the text, lower-cased."""
    words = _WORDS.findall(text[:_LEAD_CHARS].lower())
    if len(words) <= LEAD_WORDS and len(text) > _LEAD_CHARS:
        words = _WORDS.findall(text.lower())
    return words[:LEAD_WORDS]


def shingles(title: str, text: str) -> set[str]:
    """Distinct content words of the title and the lead of the text, lower-cased."""
    words = _WORDS.findall(title.lower()) + _lead(text)
    return {word for word in words if word not in _STOP_WORDS and len(word) > 1}


def signatures(items: Sequence[NewsItemIngested]) -> list[Signature | None]:
    """Each item's MinHash signature, computed together; None for an item with too few
    words to compare safely."""
    sets = [shingles(item.title, item.text) for item in items]
    comparable = [list(words) for words in sets if len(words) >= MIN_SHINGLES]
    digests = iter(RMinHash.digests_from_token_sets(comparable, num_perm=NUM_PERM, seed=_SEED))
    return [
        Signature.from_values(next(digests)) if len(words) >= MIN_SHINGLES else None
        for words in sets
    ]


def signature(item: NewsItemIngested) -> Signature | None:
    """The item's MinHash signature; None when it has too few words to compare safely."""
    return signatures([item])[0]


def novelty(position: int) -> int:
    """Novelty of the item at ``position`` in its chain: 100, 75, 56, 42, 32, …"""
    return round(100 * NOVELTY_DECAY**position)


def story_id_for(item_id: str) -> str:
    """A new chain is named after its first item."""
    return "s-" + item_id.removeprefix("n-")


def chain_is_live(last_seen: datetime, now: datetime) -> bool:
    """A chain silent for ``CHAIN_WINDOW_S`` is over: the next similar item starts anew."""
    return (now - last_seen).total_seconds() < CHAIN_WINDOW_S


def content_digest(item: NewsItemIngested) -> str:
    """What an update changes: title, text or link."""
    key = "\n".join((item.title, item.text, item.url or ""))
    return hashlib.sha256(key.encode()).hexdigest()[:32]
