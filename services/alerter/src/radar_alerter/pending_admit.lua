-- KEYS: pending, bodies, marks
-- ARGV: member, at_ms, body_json, wall_ms
-- RETURNS: 1 admitted (waits for the watermark), 0 late (its time was released already)
--
-- An input waits in ``pending`` (by event time) until the watermark passes it. ``marks``
-- holds newest_ms (the newest event time admitted), released_ms (how far decisions have
-- gone) and admitted_wall_ms (when an input last arrived, for the idle release). The same
-- member admitted again replaces its body: a score update of one sector and time sent twice
-- counts as the newer one.
local released = redis.call('HGET', KEYS[3], 'released_ms')
redis.call('HSET', KEYS[3], 'admitted_wall_ms', ARGV[4])
if released and tonumber(ARGV[2]) <= tonumber(released) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
local newest = redis.call('HGET', KEYS[3], 'newest_ms')
if not newest or tonumber(ARGV[2]) > tonumber(newest) then
  redis.call('HSET', KEYS[3], 'newest_ms', ARGV[2])
end
return 1
