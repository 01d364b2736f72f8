"""The commit of one batch, as one Lua script: outputs first, then the acks.

Redis runs a script atomically with respect to other clients. Unlike MULTI/EXEC, which runs
every queued command even after one of them fails (a WRONGTYPE error does not stop the XACK
behind it), a script stops at the first failing command, so an entry is never acknowledged
unless all of its outputs were added. A crash or a lost connection before the script runs
leaves nothing; the entries stay pending and are claimed again.
"""

from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

ERRORS_TTL_S = 7 * 24 * 3600

# KEYS: 1 input stream, 2 errors hash, 3.. output streams.
# ARGV: group, errors ttl, #outputs, then per output: key index, #field args, field args…,
#       then #acks, ack ids…, then #errors, (id, error) pairs….
_COMMIT = """
local group, ttl = ARGV[1], tonumber(ARGV[2])
local i = 3
local outputs = tonumber(ARGV[i]); i = i + 1
for _ = 1, outputs do
  local key, n = KEYS[tonumber(ARGV[i])], tonumber(ARGV[i + 1])
  redis.call('XADD', key, '*', unpack(ARGV, i + 2, i + 1 + n))
  i = i + 2 + n
end
local acks = tonumber(ARGV[i]); i = i + 1
if acks > 0 then
  redis.call('XACK', KEYS[1], group, unpack(ARGV, i, i + acks - 1))
  redis.call('HDEL', KEYS[2], unpack(ARGV, i, i + acks - 1))
end
i = i + acks
local errors = tonumber(ARGV[i]); i = i + 1
if errors > 0 then
  redis.call('HSET', KEYS[2], unpack(ARGV, i, i + 2 * errors - 1))
  redis.call('EXPIRE', KEYS[2], ttl)
end
return acks
"""


@dataclass
class Batch:
    """What processing a batch produced."""

    outputs: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    acked: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def empty(self) -> bool:
        return not (self.outputs or self.acked or self.errors)


class Committer:
    """Writes a Batch for one input stream and group."""

    def __init__(self, redis: "Redis", stream: str, group: str, errors_key: str) -> None:
        self.stream, self.group, self.errors_key = stream, group, errors_key
        self._script = redis.register_script(_COMMIT)

    async def commit(self, batch: Batch) -> None:
        keys = [self.stream, self.errors_key]
        index: dict[str, int] = {}
        args: list[Any] = [self.group, ERRORS_TTL_S, len(batch.outputs)]
        for stream, fields in batch.outputs:
            if stream not in index:
                keys.append(stream)
                index[stream] = len(keys)  # Lua indexes from 1
            flat = [part for pair in fields.items() for part in pair]
            args += [index[stream], len(flat), *flat]
        args += [len(batch.acked), *batch.acked, len(batch.errors)]
        args += [part for pair in batch.errors.items() for part in pair]
        await self._script(keys=keys, args=args)
