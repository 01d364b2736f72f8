"""A service's consumers wired from its manifest (radar_schemas.topology): handlers by event
type, and checks that refuse at setup what the manifest does not declare."""

from collections.abc import Mapping
from typing import Any

from radar_schemas import Envelope, EventType
from radar_schemas.topology import ServiceManifest

from .consumer import Handler
from .emit import Emitter


def declared_reads(
    manifest: ServiceManifest, handlers: Mapping[str, Handler]
) -> list[tuple[str, dict[EventType, Handler]]]:
    """Each stream the manifest reads, with the handler of each event type on it, taken from
    ``handlers`` by the name the manifest gives; the names must be exactly those declared."""
    named = {name for read in manifest.reads for name in read.handlers.values()}
    if set(handlers) != named:
        raise ValueError(
            f"{manifest.name}'s manifest names the handlers {sorted(named)}, not {sorted(handlers)}"
        )
    return [
        (read.stream, {t: handlers[name] for t, name in read.handlers.items()})
        for read in manifest.reads
    ]


def by_event_type(handlers: Mapping[EventType, Handler]) -> Handler:
    """One handler that calls the one of each entry's event type (the consume loop has
    dead-lettered every other type before)."""
    table = dict(handlers)
    if len(set(table.values())) == 1:
        return next(iter(table.values()))

    async def dispatch(event: Envelope[Any], out: Emitter) -> None:
        await table[event.event_type](event, out)

    return dispatch


def check_declared_read(
    manifest: ServiceManifest, stream: str, event_types: frozenset[EventType] | None
) -> None:
    """Refuse, at setup, a read the manifest does not declare as such."""
    read = manifest.read_of(stream)
    declared = frozenset(read.handlers) if read is not None else None
    if declared is None or event_types != declared:
        wanted = sorted(declared) if declared is not None else "nothing"
        got = sorted(event_types) if event_types is not None else "any event type"
        raise ValueError(
            f"{manifest.name} would read {got} from {stream}; its manifest declares {wanted}"
        )
