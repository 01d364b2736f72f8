-- KEYS: input, errors, outputs...
-- ARGV: group, errors_ttl_s, outputs_json, acked_json, errors_json
-- RETURNS: JSON {added = {[output stream] = entries added}, acked = entries acknowledged}
--
-- The commit of one batch: every output first, then the acks. A script stops at the first
-- failing command, so an entry is never acknowledged unless all of its outputs were added.
-- outputs_json: [[index of the stream in KEYS, [field, value, ...]], ...] (indexes from 1);
-- acked_json: [id, ...]; errors_json: [id, error, id, error, ...]. JSON keeps the argument
-- count fixed whatever the batch size: one argument per field dominated the commit's cost.
local group, ttl = ARGV[1], tonumber(ARGV[2])
local added = {}
for _, output in ipairs(cjson.decode(ARGV[3])) do
  local stream = KEYS[output[1]]
  redis.call('XADD', stream, '*', unpack(output[2]))
  added[stream] = (added[stream] or 0) + 1
end
local acked = cjson.decode(ARGV[4])
if #acked > 0 then
  redis.call('XACK', KEYS[1], group, unpack(acked))
  redis.call('HDEL', KEYS[2], unpack(acked))
end
local errors = cjson.decode(ARGV[5])
if #errors > 0 then
  redis.call('HSET', KEYS[2], unpack(errors))
  redis.call('EXPIRE', KEYS[2], ttl)
end
return cjson.encode({added = added, acked = #acked})
