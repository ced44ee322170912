-- Moves one job from the batch at the head of the active list into the worker's processing list,
-- rotating the list so that batches take turns (round robin), and claims it like claim.lua.
-- KEYS[1] active batches list, KEYS[2] the worker's processing list, KEYS[3] queued-batch-jobs counter
-- ARGV[1] worker id, ARGV[2] startedAt, ARGV[3] batch queue key prefix, ARGV[4] job key prefix
-- Returns {id, request JSON, attempts}, or false when no batch has a queued job.
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
    redis.call('DECR', KEYS[3])
    local job = ARGV[4] .. id
    if redis.call('HGET', job, 'status') == 'queued' then
      redis.call('HSET', job, 'status', 'running', 'worker', ARGV[1], 'startedAt', ARGV[2])
      local attempts = redis.call('HINCRBY', job, 'attempts', 1)
      return {id, redis.call('HGET', job, 'request'), attempts}
    end
    redis.call('LREM', KEYS[2], 0, id)
  end
end
return false
