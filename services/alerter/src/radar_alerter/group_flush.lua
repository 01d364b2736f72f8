-- KEYS: held, due, wall, alerts
-- ARGV: group
-- RETURNS: JSON {added = {[alerts] = how many alerts were published}}
--
-- Publishes a group's held alerts in the order of their identities (event time first) and
-- closes its window, in one step: a crash publishes all of them or none.
local held = redis.call('HGETALL', KEYS[1])
local names, values = {}, {}
for i = 1, #held, 2 do
  names[#names + 1] = held[i]
  values[held[i]] = held[i + 1]
end
table.sort(names)
for _, name in ipairs(names) do
  redis.call('XADD', KEYS[4], '*', unpack(cjson.decode(values[name])))
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return cjson.encode({added = {[KEYS[4]] = #names}})
