-- KEYS: delivery, due
-- ARGV: endpoint_id, event_json, attempts, queued_at, delivery_id
-- RETURNS: "queued", or "queued_already" when the delivery exists (the alert redelivered)
--
-- Queues one delivery due at queued_at (epoch s): its hash (endpoint, alert fields as JSON,
-- attempts made, when it was first queued, the last error) and its place in the due set.
if redis.call('EXISTS', KEYS[1]) == 1 then return 'queued_already' end
redis.call('HSET', KEYS[1], 'endpoint_id', ARGV[1], 'event', ARGV[2], 'attempts', ARGV[3],
           'queued_at', ARGV[4], 'last_error', '')
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
return 'queued'
