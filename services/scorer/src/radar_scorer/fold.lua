-- KEYS: signals, times, sectors, newest_ms, newest_us, open, ends, released, published, admitted
-- ARGV: signal_id, at_ms, share_json, end_ms, sector, at_us, interval_ms, wall_ms
-- RETURNS: JSON {new_signal = bool, late = bool, end_ms = interval end the signal waits for}
--
-- Folds one signal's share into its sector, once per signal id: signals (hash, signal id →
-- share), times (sorted set, signal id by event time ms), the sectors that have signals, the
-- newest event time folded in (ms, and µs exactly) and the wall-clock ms it came at
-- (admitted: the idle release). Updates are published per closed coalescing interval, at its
-- end (end_ms, computed by the caller from the signal's event time): the interval is marked
-- to publish, for the sector (open) and for the release (ends). A signal whose interval was
-- already published (its end at or before the last released end, or the sector's last
-- update) is late: it waits for the interval right after those instead, and is reported.
-- A signal delivered again adds nothing.
local added = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3]) == 1
if not added then
  return cjson.encode({new_signal = false, late = false, end_ms = tonumber(ARGV[4])})
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[5])
local newest = tonumber(redis.call('GET', KEYS[4]) or '-1e18')
if tonumber(ARGV[2]) > newest then redis.call('SET', KEYS[4], ARGV[2]) end
local newest_us = tonumber(redis.call('GET', KEYS[5]) or '-1e18')
if tonumber(ARGV[6]) > newest_us then redis.call('SET', KEYS[5], ARGV[6]) end
redis.call('SET', KEYS[10], ARGV[8])
local done = tonumber(redis.call('GET', KEYS[8]) or '-1e18')
local last = tonumber(redis.call('HGET', KEYS[9], 'as_of') or '-1e18')
if last > done then done = last end
local end_ms, late = tonumber(ARGV[4]), false
if end_ms <= done then
  end_ms, late = done + tonumber(ARGV[7]), true
end
redis.call('ZADD', KEYS[6], end_ms, end_ms)
redis.call('ZADD', KEYS[7], end_ms, end_ms)
return cjson.encode({new_signal = true, late = late, end_ms = end_ms})
