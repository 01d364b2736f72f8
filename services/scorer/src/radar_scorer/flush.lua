-- KEYS: published, scores, emitted
-- ARGV: serial_read, as_of_ms, changes_covered, interval, fields...
-- RETURNS: JSON {added = {[scores] = 0 or 1}, published = bool}
--
-- Publishes a sector's update found due by a flush, unless another update was recorded
-- since serial_read was read from published (then nothing is written: two replicas never
-- both publish one flush). The entry (fields: field, value, ...) goes first: a script stops
-- at a failing command, so no update is recorded that was not written. Records the update's
-- as_of and the changes it covers, bumps serial, and marks its interval (as_of // interval
-- length) as published in emitted, so a signal at or before it waits for the next flush
-- instead of publishing an update older than this one.
if (redis.call('HGET', KEYS[1], 'serial') or '0') ~= ARGV[1] then
  return cjson.encode({added = {[KEYS[2]] = 0}, published = false})
end
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 5))
redis.call('HSET', KEYS[1], 'as_of', ARGV[2], 'seen', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'serial', 1)
local last = redis.call('HGET', KEYS[3], 'last')
if not last or tonumber(ARGV[4]) > tonumber(last) then
  redis.call('HSET', KEYS[3], 'last', ARGV[4])
end
return cjson.encode({added = {[KEYS[2]] = 1}, published = true})
