-- KEYS: older_bands, newer_bands
-- ARGV: band_keys_json
-- RETURNS: JSON list, for each band key in order, the item it points at, or false
--
-- The item each band key points at: in the newer chain window's hash, else the older's.
-- Keys and answer as JSON, so thousands of band keys cost one argument; HMGET in parts of
-- 1000 keys (unpack has a limit).
local keys = cjson.decode(ARGV[1])
local found = {}
for i = 1, #keys, 1000 do
  local part = {unpack(keys, i, math.min(i + 999, #keys))}
  local older = redis.call('HMGET', KEYS[1], unpack(part))
  local newer = redis.call('HMGET', KEYS[2], unpack(part))
  for j = 1, #part do found[#found + 1] = newer[j] or older[j] end
end
return cjson.encode(found)
