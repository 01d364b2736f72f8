-- KEYS: due, parked
-- ARGV: now, lease_until, limit, scan_limit, default_room, parked_prefix, rooms...
-- RETURNS: the ids of the deliveries claimed (leased until lease_until)
--
-- Claims up to limit due deliveries (score <= now in due), giving each endpoint only the
-- room it has: rooms... are (endpoint id, room) pairs for the endpoints with less than
-- default_room (0 while its circuit is open). A due delivery with no room is parked in
-- parked_prefix .. endpoint id (with its due time; parked lists such endpoints) instead of
-- being stepped over again by every later claim. First, parked deliveries of endpoints that
-- have room go back to due, oldest first. At most scan_limit due deliveries are looked at.
local now, lease, limit = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local scan_limit, default_room, parked = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local room = {}
for i = 7, #ARGV, 2 do room[ARGV[i]] = tonumber(ARGV[i + 1]) end
local function room_of(endpoint)
  local r = room[endpoint]
  if r == nil then return default_room end
  return r
end
for _, endpoint in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local key = parked .. endpoint
  local r = room_of(endpoint)
  if r > 0 then
    local rows = redis.call('ZRANGE', key, 0, r - 1, 'WITHSCORES')
    for i = 1, #rows, 2 do
      redis.call('ZADD', KEYS[1], rows[i + 1], rows[i])
      redis.call('ZREM', key, rows[i])
    end
  end
  if redis.call('EXISTS', key) == 0 then redis.call('SREM', KEYS[2], endpoint) end
end
local claimed, scanned = {}, 0
while #claimed < limit and scanned < scan_limit do
  local rows = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0,
                          math.min(100, scan_limit - scanned))
  if #rows == 0 then break end
  for i = 1, #rows, 2 do
    if #claimed >= limit then break end
    local id, score = rows[i], rows[i + 1]
    local endpoint = string.match(id, '^(.*):[^:]*$') or id
    local r = room_of(endpoint)
    scanned = scanned + 1
    if r > 0 then
      redis.call('ZADD', KEYS[1], lease, id)
      claimed[#claimed + 1] = id
      room[endpoint] = r - 1
    else
      redis.call('ZREM', KEYS[1], id)
      redis.call('ZADD', parked .. endpoint, score, id)
      redis.call('SADD', KEYS[2], endpoint)
    end
  end
end
return claimed
