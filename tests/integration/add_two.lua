-- KEYS: stream
-- ARGV: value
-- RETURNS: JSON {added = {[stream] = 2}, note = "two"}
--
-- A test script that adds two entries (test_publish_path.py).
redis.call('XADD', KEYS[1], '*', 'v', ARGV[1])
redis.call('XADD', KEYS[1], '*', 'v', ARGV[1])
return cjson.encode({added = {[KEYS[1]] = 2}, note = 'two'})
