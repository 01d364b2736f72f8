-- KEYS: record, decided
-- ARGV: version, record_json, decided_json, decided_ttl_s
-- RETURNS: 1 stored, 0 the record's version is no longer the one read (changed meanwhile)
--
-- Compare-and-set of one alert record, together with the decision that changed it (the
-- notifications it sends), kept under the deciding event's id for a redelivery to find.
local version = redis.call('HGET', KEYS[1], 'version') or '0'
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'record', ARGV[2], 'version', tostring(tonumber(version) + 1))
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
return 1
