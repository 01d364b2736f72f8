-- KEYS: delivery, due, endpoint_parked, deadletter
-- ARGV: delivery_id, dead_letter...
-- RETURNS: JSON {added = {[deadletter] = 1 when dead_letter was given, else 0}}
--
-- Forgets a delivery (its hash, its place in due and in its endpoint's parked set). With
-- dead_letter (field, value, ...), that entry is added to deadletter first: a script stops
-- at a failing command, so a delivery is never forgotten without its dead letter.
local added = 0
if #ARGV > 1 then
  redis.call('XADD', KEYS[4], '*', unpack(ARGV, 2))
  added = 1
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return cjson.encode({added = {[KEYS[4]] = added}})
