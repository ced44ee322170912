-- The reaper gives back a running job whose lease lapsed: its holder stopped renewing (dead, cut off or
-- stuck). The reaper calls it only after seeing the same job, with the same token, lapsed on two passes
-- while Redis was reachable for longer than a lease; this script re-checks, atomically and by Redis's own
-- clock, that nothing changed meanwhile: still running, same token, same holder, still lapsed.
-- The attempt counts only if the holder started a run under this token (its "<worker>:<token>" entry is in
-- the job's executions list, written before every run); a claim whose reply was lost, or a holder that
-- died before starting, never ran: attempts −1. The token stays, the next claim raises it, so the old
-- holder's writes fail.
-- The job goes to the head of its tenant's pending list and counts as queued, no longer running.
-- KEYS[1] job hash, KEYS[2] the holder's processing list, KEYS[3] leases sorted set,
-- KEYS[4] the job's executions list
-- ARGV[1] id, ARGV[2] token seen lapsed, ARGV[3] holder's worker id, then QueueLayout.ARGS
-- Returns 1 when requeued; 0 when renewed, finished, cancelled or requeued meanwhile.
local f = redis.call('HMGET', KEYS[1], 'status', 'token', 'worker', 'leaseUntil')
if f[1] ~= 'running' then
  -- Finished, cancelled, requeued or expired: a lease left behind is stale (claim re-adds it).
  redis.call('ZREM', KEYS[3], ARGV[1])
  return 0
end
if f[2] ~= ARGV[2] or f[3] ~= ARGV[3] then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local leaseUntil = tonumber(f[4]) or tonumber(redis.call('ZSCORE', KEYS[3], ARGV[1]))
if leaseUntil == nil or leaseUntil >= now then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'queued')
redis.call('HDEL', KEYS[1], 'worker', 'startedAt', 'leaseUntil')
if not redis.call('LPOS', KEYS[4], ARGV[3] .. ':' .. ARGV[2]) then
  redis.call('HINCRBY', KEYS[1], 'attempts', -1)
end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('LREM', KEYS[2], 0, ARGV[1])
local tenant, counted = Q.tenant(KEYS[1])
Q.move(tenant, counted, 'running', 'queued')
Q.push(tenant, ARGV[1], 'head')
return 1
