-- Turns a job a worker has just moved into its processing list into a lease it holds.
-- KEYS[1] job hash, KEYS[2] the worker's processing list, KEYS[3] leases sorted set
-- ARGV[1] id, ARGV[2] worker id, ARGV[3] startedAt, ARGV[4] lease length in ms
-- Returns {request JSON, token, attempts}, or false when the id is no longer in the worker's list (someone
-- gave it back meanwhile) or the job is gone or no longer queued (then it is dropped from the list).
if not redis.call('LPOS', KEYS[2], ARGV[1]) then
  return false
end
if redis.call('HGET', KEYS[1], 'status') ~= 'queued' then
  redis.call('LREM', KEYS[2], 0, ARGV[1])
  return false
end
local time = redis.call('TIME')
local leaseUntil = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[4])
local token = redis.call('HINCRBY', KEYS[1], 'token', 1)
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'status', 'running', 'worker', ARGV[2], 'startedAt', ARGV[3], 'leaseUntil', leaseUntil)
redis.call('ZADD', KEYS[3], leaseUntil, ARGV[1])
return {redis.call('HGET', KEYS[1], 'request'), token, attempts}
