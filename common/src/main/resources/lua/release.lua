-- The holder could not start the job because its own infrastructure failed (engine down, image
-- missing): the job goes back with a delay, to the tail, so another worker takes it, and the claim does
-- not count as an attempt. Only the current lease (same token) is released.
-- KEYS[1] job hash, KEYS[2] the worker's processing list, KEYS[3] delayed sorted set, KEYS[4] leases sorted set
-- ARGV[1] id, ARGV[2] token, ARGV[3] delay in ms, ARGV[4] most releases allowed, then QueueLayout.ARGS
-- The job counts as queued for its tenant again (move_due puts it on the tenant's pending list when due).
-- Returns the job's releases so far (this one included), 0 when the lease is not held, or -1 when the job
-- has already been released ARGV[4] times (nothing changed: the caller ends it).
if redis.call('HGET', KEYS[1], 'status') ~= 'running' or redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then
  return 0
end
if tonumber(redis.call('HGET', KEYS[1], 'releases') or '0') >= tonumber(ARGV[4]) then
  return -1
end
local time = redis.call('TIME')
local due = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'status', 'queued')
redis.call('HDEL', KEYS[1], 'worker', 'startedAt', 'leaseUntil')
redis.call('HINCRBY', KEYS[1], 'attempts', -1)
local releases = redis.call('HINCRBY', KEYS[1], 'releases', 1)
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('LREM', KEYS[2], 0, ARGV[1])
redis.call('ZADD', KEYS[3], due, ARGV[1])
local tenant, counted = Q.tenant(KEYS[1])
Q.move(tenant, counted, 'running', 'queued')
Q.slot_freed(tenant)
return releases
