-- KEYS: ends, released
-- ARGV: end_ms
-- RETURNS: 1
--
-- Marks a closed coalescing interval as released once every sector's update at its end is
-- published: it leaves the intervals to release (ends), and the released end only moves
-- forward. A signal at or before the released end folded in later is late (fold.lua).
redis.call('ZREM', KEYS[1], ARGV[1])
local released = tonumber(redis.call('GET', KEYS[2]) or '-1e18')
if tonumber(ARGV[1]) > released then redis.call('SET', KEYS[2], ARGV[1]) end
return 1
