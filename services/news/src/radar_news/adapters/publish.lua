-- KEYS: news, bands
-- ARGV: key_base, seen_ttl_s, chain_window_s, now, entries_json, items_json, bands_json
-- RETURNS: JSON {added = {[news] = how many entries were added}}
--
-- Adds news items to the news stream together with what records them. key_base is
-- "{prefix}:news:"; entries_json: [[field, value, ...], ...]; items_json, in the same order:
-- [[item id, digest, story, novelty, signature hex, joins chain (1 or 0)], ...]; bands_json:
-- [band key, item, band key, item, ...], written to bands (the current chain window's hash).
-- JSON keeps the argument count fixed: one argument per field costs more than the work.
-- An item already recorded with the same digest (another replica got there first) is
-- neither added nor counted again. Each entry is added before its record, so an error part
-- way adds an item that the next poll adds again: a duplicate, never a loss. Keys are named
-- under one prefix, so with a hash-tag prefix they share a slot.
local base, ttl, window, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local entries, items = cjson.decode(ARGV[5]), cjson.decode(ARGV[6])
local added = 0
for i, item in ipairs(items) do
  local key = base .. 'item:' .. item[1]
  if redis.call('HGET', key, 'digest') ~= item[2] then
    redis.call('XADD', KEYS[1], '*', unpack(entries[i]))
    added = added + 1
    if item[5] ~= '' then
      redis.call('HSET', key, 'digest', item[2], 'story', item[3], 'novelty', item[4],
                 'sig', item[5])
    else
      redis.call('HSET', key, 'digest', item[2], 'story', item[3], 'novelty', item[4])
    end
    redis.call('EXPIRE', key, ttl)
    if item[6] == 1 and item[3] ~= '' then
      local story = base .. 'story:' .. item[3]
      redis.call('HINCRBY', story, 'size', 1)
      redis.call('HSET', story, 'last_seen', now)
      redis.call('EXPIRE', story, window)
    end
  end
end
local bands = cjson.decode(ARGV[7])
for i = 1, #bands, 1000 do
  redis.call('HSET', KEYS[2], unpack(bands, i, math.min(i + 999, #bands)))
end
if #bands > 0 then redis.call('EXPIRE', KEYS[2], 2 * window) end
return cjson.encode({added = {[KEYS[1]] = added}})
