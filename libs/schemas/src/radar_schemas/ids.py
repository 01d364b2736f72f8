"""Sortable event ids: UUIDv7 (RFC 9562), monotonic within one process."""

import os
import random
import threading
import time
import uuid
from datetime import UTC, datetime

_lock = threading.Lock()
_last_ms = 0
_counter = 0
# The random bits only keep ids from two processes apart (RFC 9562 asks no secrecy of an id
# that names an event, and nothing here uses one as a secret): a Mersenne Twister seeded
# from os.urandom, seeded afresh in a forked child so that parent and child never draw the
# same bits, costs 0.1 µs where two os.urandom calls cost 1.1.
_random = random.Random()
os.register_at_fork(after_in_child=_random.seed)


def new_event_id() -> str:
    """A UUIDv7 string: 48-bit Unix milliseconds, then a 12-bit counter, then random bits.

    The counter (RFC 9562 method 1) keeps ids from one process strictly increasing even
    when many are made within one millisecond, so sorting ids sorts emission order.
    """
    global _last_ms, _counter
    with _lock:
        now_ms = time.time_ns() // 1_000_000
        if now_ms > _last_ms:
            _last_ms, _counter = now_ms, _random.getrandbits(10)
        else:
            _counter += 1
            if _counter > 0xFFF:  # counter exhausted: borrow the next millisecond
                _last_ms, _counter = _last_ms + 1, 0
        ms, counter = _last_ms, _counter
    rand_b = _random.getrandbits(62)
    value = (ms << 80) | (0x7 << 76) | (counter << 64) | (0b10 << 62) | rand_b
    digits = f"{value:032x}"  # formatted directly: uuid.UUID() costs more than the rest
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def event_id_time(event_id: str) -> datetime:
    """The emission time encoded in a UUIDv7 event id."""
    ms = uuid.UUID(event_id).int >> 80
    return datetime.fromtimestamp(ms / 1000, tz=UTC)
