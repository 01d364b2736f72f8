-- KEYS: held, due, wall, handled
-- ARGV: group, identity, fields_json, due_ms, wall_due_ms, opens, at_ms
-- RETURNS: 0 not held (no window open: publish now), 1 held, 2 handled already (a
-- redelivery), 3 the group's window closed at or before this alert (flush it, then hold)
--
-- Holds one encoded alert in its group's open window, or opens the window when ``opens`` is
-- "1" (the first notification of a firing alert). ``handled`` remembers every identity held
-- or published, so a redelivered alert is neither held nor published twice.
if redis.call('SADD', KEYS[4], ARGV[2]) == 0 then return 2 end
local closes = redis.call('ZSCORE', KEYS[2], ARGV[1])
if closes and tonumber(closes) <= tonumber(ARGV[7]) then
  redis.call('SREM', KEYS[4], ARGV[2])
  return 3
end
if not closes then
  if ARGV[6] ~= '1' then
    redis.call('SREM', KEYS[4], ARGV[2])
    return 0
  end
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1
