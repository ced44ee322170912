-- The holder gives a running job back (its worker is shutting down), at the head of the queue so it
-- runs next: at the head of its tenant's pending list (the tenant rejoins the rotation). Only the current
-- lease (same token) is undone: a stale attempt changes nothing.
-- KEYS[1] job hash, KEYS[2] the worker's processing list, KEYS[3] leases sorted set
-- ARGV[1] id, ARGV[2] token, then QueueLayout.ARGS
-- Returns 1 when requeued, 0 otherwise.
if redis.call('HGET', KEYS[1], 'status') ~= 'running' or redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'queued')
redis.call('HDEL', KEYS[1], 'worker', 'startedAt', 'leaseUntil')
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('LREM', KEYS[2], 0, ARGV[1])
local tenant, counted = Q.tenant(KEYS[1])
Q.move(tenant, counted, 'running', 'queued')
Q.push(tenant, ARGV[1], 'head')
return 1
