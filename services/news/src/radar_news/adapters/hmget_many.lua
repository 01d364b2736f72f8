-- KEYS: hashes...
-- ARGV: fields...
-- RETURNS: for each hash, in order, the values of fields (false where absent)
--
-- HMGET of the same fields from many hashes, in one round trip.
local rows = {}
for i, key in ipairs(KEYS) do rows[i] = redis.call('HMGET', key, unpack(ARGV)) end
return rows
