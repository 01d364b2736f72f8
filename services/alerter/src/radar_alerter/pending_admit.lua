-- KEYS: pending, bodies, marks, admitted
-- ARGV: member, at_ms, body_json, wall_ms, input, ttl_s
-- RETURNS: 1 admitted (waits for the watermark), 0 late (its time was decided already:
-- decide it now), 2 admitted before (a redelivery of a waiting or decided input: nothing to do)
--
-- An input waits in ``pending`` (by event time) until the watermark passes it. ``marks``
-- holds per input stream newest_ms:<input> (the newest event time admitted) and
-- wall_ms:<input> (when it last admitted one), and released_ms (how far decisions have gone).
-- ``admitted`` (one key per envelope, kept ttl_s) says how the envelope was handled: a
-- redelivery of a late one is decided again (its first outputs went with the lost ack; the
-- stored decision is published again), of a waiting one not at all. The same member admitted
-- again replaces its body: a score update of one sector and time sent twice counts as the
-- newer one.
redis.call('HSET', KEYS[3], 'wall_ms:' .. ARGV[5], ARGV[4])
local before = redis.call('GET', KEYS[4])
if before == 'waiting' then return 2 end
if before == 'late' then return 0 end
local released = redis.call('HGET', KEYS[3], 'released_ms')
if released and tonumber(ARGV[2]) <= tonumber(released) then
  redis.call('SET', KEYS[4], 'late', 'EX', ARGV[6])
  return 0
end
redis.call('SET', KEYS[4], 'waiting', 'EX', ARGV[6])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
local field = 'newest_ms:' .. ARGV[5]
local newest = redis.call('HGET', KEYS[3], field)
if not newest or tonumber(ARGV[2]) > tonumber(newest) then
  redis.call('HSET', KEYS[3], field, ARGV[2])
end
return 1
