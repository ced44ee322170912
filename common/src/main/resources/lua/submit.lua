-- Stores a new job and queues its id in one atomic step, unless the queue is full.
-- KEYS[1] job hash, KEYS[2] pending list
-- ARGV[1] id, ARGV[2] language, ARGV[3] createdAt, ARGV[4] request JSON, ARGV[5] max queue length,
-- ARGV[6] milliseconds the API spent on the submission before this script
-- Returns 1 when queued, 0 when the queue is full.
if redis.call('LLEN', KEYS[2]) >= tonumber(ARGV[5]) then
  return 0
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'status', 'queued', 'language', ARGV[2],
  'createdAt', ARGV[3], 'request', ARGV[4], 'attempts', 0, 'apiMs', ARGV[6])
redis.call('LPUSH', KEYS[2], ARGV[1])
return 1
