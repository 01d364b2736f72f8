-- KEYS: signals, times, emitted, sectors, newest_ms, published, newest_us
-- ARGV: signal_id, at_ms, share_json, interval, sector, event_id, at_us
-- RETURNS: JSON {new_signal = bool, publishes = bool}
--
-- Folds one signal's share into its sector, once per signal id: signals (hash, signal id →
-- share), times (sorted set, signal id by event time ms), the sectors that have signals, the
-- newest event time folded in (ms, and µs exactly). Then decides whether this event publishes
-- the sector's update for its coalescing interval (interval: at_ms // the interval length):
-- a new signal opening a later interval than the last one published does, and the event that
-- won an interval is recorded in emitted (interval → event id), so a redelivered event
-- decides as it did the first time. published (hash): changes counts signals folded in; an
-- update decided here records its as_of and the changes it covers (seen), and bumps serial,
-- the flush's compare-and-set token (see flush.lua).
local added = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3]) == 1
if added then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
  redis.call('SADD', KEYS[4], ARGV[5])
  redis.call('HINCRBY', KEYS[6], 'changes', 1)
  local newest = tonumber(redis.call('GET', KEYS[5]) or '-1e18')
  if tonumber(ARGV[2]) > newest then redis.call('SET', KEYS[5], ARGV[2]) end
  local newest_us = tonumber(redis.call('GET', KEYS[7]) or '-1e18')
  if tonumber(ARGV[7]) > newest_us then redis.call('SET', KEYS[7], ARGV[7]) end
end
if redis.call('HGET', KEYS[3], ARGV[4]) == ARGV[6] then
  return cjson.encode({new_signal = added, publishes = true})
end
local last = redis.call('HGET', KEYS[3], 'last')
if added and (not last or tonumber(ARGV[4]) > tonumber(last)) then
  redis.call('HSET', KEYS[3], 'last', ARGV[4], ARGV[4], ARGV[6])
  local as_of = redis.call('HGET', KEYS[6], 'as_of')
  if not as_of or tonumber(ARGV[2]) >= tonumber(as_of) then
    local changes = redis.call('HGET', KEYS[6], 'changes')
    redis.call('HSET', KEYS[6], 'as_of', ARGV[2], 'seen', changes)
    redis.call('HINCRBY', KEYS[6], 'serial', 1)
  end
  return cjson.encode({new_signal = added, publishes = true})
end
return cjson.encode({new_signal = added, publishes = false})
