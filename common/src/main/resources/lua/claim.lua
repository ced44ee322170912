-- Turns a job a worker has just moved into its processing list into a running job it owns.
-- KEYS[1] job hash, KEYS[2] the worker's processing list
-- ARGV[1] id, ARGV[2] worker id, ARGV[3] startedAt
-- Returns {request JSON, attempts so far including this one}, or false when the job is gone or no longer queued (then it is dropped).
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'queued' then
  redis.call('LREM', KEYS[2], 0, ARGV[1])
  return false
end
redis.call('HSET', KEYS[1], 'status', 'running', 'worker', ARGV[2], 'startedAt', ARGV[3])
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return {redis.call('HGET', KEYS[1], 'request'), attempts}
