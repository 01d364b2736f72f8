-- KEYS: inhibitions
-- ARGV: key, start_ms, end_ms
-- RETURNS: 1 the window was stored or widened, 0 an existing window covers it already
--
-- Mutes ``key`` over [start_ms, end_ms) of event time, widening any window already stored.
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local from, untill = string.match(old, '(-?%d+):(-?%d+)')
  if tonumber(untill) >= tonumber(ARGV[3]) and tonumber(from) <= tonumber(ARGV[2]) then
    return 0
  end
  ARGV[2] = tostring(math.min(tonumber(from), tonumber(ARGV[2])))
  ARGV[3] = tostring(math.max(tonumber(untill), tonumber(ARGV[3])))
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[3])
return 1
