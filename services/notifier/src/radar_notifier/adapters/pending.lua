-- KEYS: due, parked
-- ARGV: parked_prefix
-- RETURNS: how many deliveries wait (in due, and parked under each endpoint in parked)
local n = redis.call('ZCARD', KEYS[1])
for _, endpoint in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  n = n + redis.call('ZCARD', ARGV[1] .. endpoint)
end
return n
