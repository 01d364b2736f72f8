-- KEYS: stream, seen...
-- ARGV: ttl_s, entries_json
-- RETURNS: JSON {added = {[stream] = how many entries were added}}
--
-- Adds each entry whose seen key (the same position in seen...) does not exist, then sets
-- that key for ttl_s. The entry goes first: a script stops at a failing command, so no key
-- is marked seen without its entry (a crash may publish twice, never lose). Checked and set
-- in one script, two replicas polling one source cannot both add an entry, and a key twice
-- in one call adds once. entries_json: [[field, value, ...], ...].
local ttl, entries = ARGV[1], cjson.decode(ARGV[2])
local added = 0
for i, fields in ipairs(entries) do
  local seen = KEYS[i + 1]
  if redis.call('EXISTS', seen) == 0 then
    redis.call('XADD', KEYS[1], '*', unpack(fields))
    redis.call('SET', seen, '1', 'EX', ttl)
    added = added + 1
  end
end
return cjson.encode({added = {[KEYS[1]] = added}})
