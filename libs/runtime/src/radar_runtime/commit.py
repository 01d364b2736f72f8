"""The commit of one batch, as one Lua script: outputs first, then the acks.

Redis runs a script atomically with respect to other clients. Unlike MULTI/EXEC, which runs
every queued command even after one of them fails (a WRONGTYPE error does not stop the XACK
behind it), a script stops at the first failing command, so an entry is never acknowledged
unless all of its outputs were added. A crash or a lost connection before the script runs
leaves nothing; the entries stay pending and are claimed again.
"""

from dataclasses import dataclass, field
from typing import Any

import orjson

from .emit import Publisher
from .scripts import LuaScript

ERRORS_TTL_S = 7 * 24 * 3600

COMMIT = LuaScript.load(__package__, "commit.lua")


@dataclass
class Batch:
    """What processing a batch produced."""

    outputs: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    acked: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def empty(self) -> bool:
        return not (self.outputs or self.acked or self.errors)


class Committer:
    """Writes a Batch for one input stream and group, through the publisher that counts the
    outputs added."""

    def __init__(self, publisher: Publisher, stream: str, group: str, errors_key: str) -> None:
        self.stream, self.group, self.errors_key = stream, group, errors_key
        self.publisher = publisher

    async def commit(self, batch: Batch) -> int:
        """Add the outputs, then ack; returns how many entries were acknowledged."""
        outputs_streams: list[str] = []
        index: dict[str, int] = {}
        outputs = []
        for stream, fields in batch.outputs:
            if stream not in index:
                outputs_streams.append(stream)
                index[stream] = (
                    len(outputs_streams) + 2
                )  # after input and errors; Lua counts from 1
            outputs.append([index[stream], [part for pair in fields.items() for part in pair]])
        errors = [part for pair in batch.errors.items() for part in pair]
        reply = await self.publisher.run(
            COMMIT,
            keys={"input": self.stream, "errors": self.errors_key, "outputs": outputs_streams},
            args={
                "group": self.group,
                "errors_ttl_s": ERRORS_TTL_S,
                "outputs_json": script_arg(outputs),
                "acked_json": script_arg(batch.acked),
                "errors_json": script_arg(errors),
            },
        )
        return int(reply["acked"])


def script_arg(value: Any) -> bytes:
    """``value`` as one compact JSON argument (UTF-8) for a Lua script (cjson decodes it):
    one argument whatever the size, where packing one per field costs more than the work.
    An empty list is "[]", so # of its table is 0. orjson: the standard library's encoder
    took 14 times as long on news entries."""
    return orjson.dumps(value)
