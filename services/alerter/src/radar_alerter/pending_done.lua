-- KEYS: pending, bodies, alerts
-- ARGV: member, entries_json
-- RETURNS: JSON {added = {[alerts] = how many alerts were published}}
--
-- The end of one pending input's decision: its notifications are added to the alerts
-- stream and the input leaves ``pending``, in one step. A crash before this leaves the input
-- pending; deciding it again finds its stored decision and publishes the same notifications
-- (a duplicate, never a miss). entries_json: [[field, value, ...], ...].
local entries = cjson.decode(ARGV[2])
for _, fields in ipairs(entries) do
  redis.call('XADD', KEYS[3], '*', unpack(fields))
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return cjson.encode({added = {[KEYS[3]] = #entries}})
