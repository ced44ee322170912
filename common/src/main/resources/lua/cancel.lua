-- Cancels a queued or running job. A queued job leaves the pending list and never runs; a running
-- job is marked cancelled at once (its worker's late result is then discarded by complete.lua) and
-- its id is published so the worker kills the container.
-- KEYS[1] job hash, KEYS[2] pending list, KEYS[3] stats hash, KEYS[4] queued-batch-jobs counter
-- ARGV[1] id, ARGV[2] finishedAt, ARGV[3] TTL seconds, ARGV[4] done channel, ARGV[5] cancel channel,
-- ARGV[6] batch key prefix, ARGV[7] batch queue key prefix (a batch's jobs wait in their batch's queue)
-- Returns the status the job had: 'queued' or 'running' (now cancelled), 'completed' or 'cancelled'
-- (unchanged), or 'missing'.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return 'missing'
end
if status ~= 'queued' and status ~= 'running' then
  return status
end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finishedAt', ARGV[2])
redis.call('HDEL', KEYS[1], 'request')
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
redis.call('HINCRBY', KEYS[3], 'cancelled', 1)
local batch = redis.call('HGET', KEYS[1], 'batch')
if status == 'queued' and batch then
  if redis.call('LREM', ARGV[7] .. batch, 0, ARGV[1]) > 0 then
    redis.call('DECR', KEYS[4])
  end
elseif status == 'queued' then
  redis.call('LREM', KEYS[2], 0, ARGV[1])
else
  redis.call('PUBLISH', ARGV[5], ARGV[1])
end
redis.call('PUBLISH', ARGV[4], ARGV[1])
if batch then
  local key = ARGV[6] .. batch
  if redis.call('HINCRBY', key, 'done', 1) >= tonumber(redis.call('HGET', key, 'total')) then
    redis.call('PUBLISH', ARGV[4], 'batch:' .. batch)
  end
end
return status
