-- Moves one job from the batch at the head of the active list into the worker's processing list,
-- rotating the list so that batches take turns (round robin), and leases it like claim.lua.
-- KEYS[1] active batches list, KEYS[2] the worker's processing list, KEYS[3] queued-batch-jobs counter,
-- KEYS[4] leases sorted set
-- ARGV[1] worker id, ARGV[2] startedAt, ARGV[3] batch queue key prefix, ARGV[4] job key prefix,
-- ARGV[5] lease length in ms
-- Returns {id, request JSON, token, attempts}, or false when no batch has a queued job.
for _ = 1, redis.call('LLEN', KEYS[1]) do
  local batch = redis.call('LMOVE', KEYS[1], KEYS[1], 'LEFT', 'RIGHT')
  if not batch then
    return false
  end
  local queue = ARGV[3] .. batch
  local id = redis.call('LMOVE', queue, KEYS[2], 'RIGHT', 'LEFT')
  if redis.call('LLEN', queue) == 0 then
    redis.call('LREM', KEYS[1], 0, batch)
  end
  if id then
    if tonumber(redis.call('DECR', KEYS[3])) < 0 then
      redis.call('SET', KEYS[3], 0)
    end
    local job = ARGV[4] .. id
    if redis.call('HGET', job, 'status') == 'queued' then
      local time = redis.call('TIME')
      local leaseUntil = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[5])
      local token = redis.call('HINCRBY', job, 'token', 1)
      local attempts = redis.call('HINCRBY', job, 'attempts', 1)
      redis.call('HSET', job, 'status', 'running', 'worker', ARGV[1], 'startedAt', ARGV[2], 'leaseUntil', leaseUntil)
      redis.call('ZADD', KEYS[4], leaseUntil, id)
      return {id, redis.call('HGET', job, 'request'), token, attempts}
    end
    redis.call('LREM', KEYS[2], 0, id)
  end
end
return false
