-- Picks the next job fairly and leases it to the worker, in one atomic step. Tenants with queued work
-- take turns (the rotation list is turned once per tenant looked at); a tenant already running its
-- plan's maxRunning jobs is skipped, its jobs wait. Within the chosen tenant, its single jobs (and jobs
-- given back) come first, then its batches in turn, one job each. The id moves to the worker's
-- processing list and is leased like any claim: token + 1 (fencing), attempts + 1, lease end by Redis TIME.
-- KEYS[1] the worker's processing list, KEYS[2] leases sorted set
-- ARGV[1] worker id, ARGV[2] startedAt, ARGV[3] lease length in ms, then QueueLayout.ARGS
-- Returns {id, request JSON, token, attempts, tenant}; 0 when it only dropped stale copies (look again
-- at once); or false when nothing is claimable (then the wake-up token goes: whatever makes work
-- claimable again pushes a new one).

-- One id from the tenant's queues (singles, then its batches in turn), or nil; a tenant whose queues
-- are empty leaves the rotation.
local function take(tenant)
  local pending = Q.pending .. tenant
  local batches = Q.batches .. tenant
  local id = redis.call('LMOVE', pending, KEYS[1], 'RIGHT', 'LEFT')
  if not id then
    for _ = 1, redis.call('LLEN', batches) do
      local batch = redis.call('LMOVE', batches, batches, 'LEFT', 'RIGHT')
      local queue = Q.batch_queue .. batch
      id = redis.call('LMOVE', queue, KEYS[1], 'RIGHT', 'LEFT')
      if redis.call('LLEN', queue) == 0 then
        redis.call('LREM', batches, 0, batch)
      end
      if id then
        break
      end
    end
  end
  if redis.call('LLEN', pending) == 0 and redis.call('LLEN', batches) == 0 then
    redis.call('LREM', Q.tenants, 0, tenant)
  end
  return id
end

local stale = false
for _ = 1, redis.call('LLEN', Q.tenants) do
  local tenant = redis.call('LMOVE', Q.tenants, Q.tenants, 'LEFT', 'RIGHT')
  if not tenant then
    break
  end
  local counts = redis.call('HMGET', Q.counts .. tenant, 'running', 'maxRunning')
  local cap = tonumber(counts[2] or '0')
  if cap <= 0 or tonumber(counts[1] or '0') < cap then
    local id = take(tenant)
    if id then
      local job = Q.job .. id
      if redis.call('HGET', job, 'status') == 'queued' then
        local owner, counted = Q.tenant(job)
        local time = redis.call('TIME')
        local leaseUntil = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[3])
        local token = redis.call('HINCRBY', job, 'token', 1)
        local attempts = redis.call('HINCRBY', job, 'attempts', 1)
        redis.call('HSET', job, 'status', 'running', 'worker', ARGV[1], 'startedAt', ARGV[2], 'leaseUntil', leaseUntil)
        redis.call('ZADD', KEYS[2], leaseUntil, id)
        Q.move(owner, counted, 'queued', 'running')
        if redis.call('LLEN', Q.tenants) > 0 then
          Q.wake()  -- more work may wait: the next idle worker looks too
        end
        return {id, redis.call('HGET', job, 'request'), token, attempts, tenant}
      end
      -- A stale copy (cancelled, finished or already taken meanwhile): dropped (the copy just moved, at
      -- the head; never another entry of the same id), and the next tenant's turn.
      redis.call('LREM', KEYS[1], 1, id)
      stale = true
    end
  end
end
if stale then
  return 0
end
redis.call('DEL', Q.wake_list)
return false
