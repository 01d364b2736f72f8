"""Fuzzing envelope decoding (radar_schemas.decode): stream entries of random fields, and real
encoded entries with one field replaced, dropped, added or spliced."""

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from radar_schemas import EventType, NewsItemIngested, encode, new_event
from radar_schemas.wire import DATA_FIELD, HEADER_FIELDS

from . import contracts
from .budget import FUZZ

FIELDS = [*HEADER_FIELDS, DATA_FIELD]
VALUES = (
    st.text(max_size=40)
    | st.sampled_from([e.value for e in EventType])
    | st.sampled_from(["1", "99", "²", "0" * 400, "2026-11-26T00:00:00+00:00", "2026-11-26"])
    | st.sampled_from(["{}", '{"a":1}', ',"event_id":"x"', "[" * 5000, '{"title":"\\ud800"}'])
)
GOOD = encode(
    new_event(
        EventType.NEWS_INGESTED,
        NewsItemIngested(
            item_id="n-1",
            source="fuzz",
            title="AI ads lift revenue",
            text="Text.",
            published_at=datetime(2026, 11, 26, tzinfo=UTC),
        ),
        producer="fuzz",
        correlation_id="n-1",
        occurred_at=datetime(2026, 11, 26, tzinfo=UTC),
    )
)


@FUZZ
@given(st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), VALUES, max_size=10))
def test_entries_of_random_fields(fields: dict[str, str]) -> None:
    contracts.envelope(fields)


@st.composite
def mutated_entries(draw: st.DrawFn) -> dict[str, str]:
    fields = dict(GOOD)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(FIELDS))
        kind = draw(st.sampled_from(["replace", "drop", "add", "splice"]))
        if kind == "replace":
            fields[name] = draw(VALUES)
        elif kind == "drop":
            fields.pop(name, None)
        elif kind == "add":
            fields[draw(st.text(max_size=10))] = draw(VALUES)
        elif name in fields:
            value = fields[name]
            at = draw(st.integers(0, len(value)))
            fields[name] = value[:at] + draw(VALUES) + value[at:]
    return fields


@FUZZ
@given(mutated_entries())
def test_real_entries_mutated(fields: dict[str, str]) -> None:
    contracts.envelope(fields)
