-- KEYS: source, aliases...
-- ARGV: candidate, at_ms, window_ms, ttl_s
-- RETURNS: the fingerprint of the card the source belongs to
--
-- The card a source joined before; else the card one of its aliases points at, when the
-- source's time is within window_ms of that card's sources; else the candidate (a new card).
-- Every alias then points at the card, with its sources' event-time span widened.
local known = redis.call('GET', KEYS[1])
if known then return known end
local at, window = tonumber(ARGV[2]), tonumber(ARGV[3])
local found, low, high = nil, at, at
for i = 2, #KEYS do
  local raw = redis.call('GET', KEYS[i])
  if raw then
    local fp, first, last = string.match(raw, '^(.*)|(-?%d+)|(-?%d+)$')
    if fp and at >= tonumber(first) - window and at < tonumber(last) + window then
      found = fp
      low, high = math.min(tonumber(first), at), math.max(tonumber(last), at)
      break
    end
  end
end
local fp = found or ARGV[1]
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], fp .. '|' .. low .. '|' .. high, 'EX', ARGV[4])
end
redis.call('SET', KEYS[1], fp, 'EX', ARGV[4])
return fp
