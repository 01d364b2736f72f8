-- KEYS: stream
-- ARGV: after_id, limit
-- RETURNS: how many entries the stream has after after_id (exclusive), up to limit
--
-- The lag of a group when Redis has no figure: entries after its last-delivered id.
return #redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
