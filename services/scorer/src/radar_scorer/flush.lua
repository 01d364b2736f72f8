-- KEYS: published, scores, open
-- ARGV: as_of_read, end_ms, fields...
-- RETURNS: JSON {added = {[scores] = 0 or 1}, published = bool}
--
-- Publishes a sector's update at the end of a closed coalescing interval (end_ms), unless
-- the sector's last update changed since as_of_read was read ('' for none) or is not older
-- than end_ms: each update is published once, whichever replica computed it, and a sector's
-- updates go forward in event time. The entry (fields: field, value, ...) goes first: a
-- script stops at a failing command, so no update is recorded that was not written. Records
-- end_ms as the sector's last update (published.as_of) and clears its intervals to publish
-- (open) up to end_ms: the update covers every signal at or before it.
local as_of = redis.call('HGET', KEYS[1], 'as_of') or ''
if as_of ~= ARGV[1] or (as_of ~= '' and tonumber(as_of) >= tonumber(ARGV[2])) then
  return cjson.encode({added = {[KEYS[2]] = 0}, published = false})
end
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
redis.call('HSET', KEYS[1], 'as_of', ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[2])
return cjson.encode({added = {[KEYS[2]] = 1}, published = true})
