-- Stores a result, if the job is still running and owned by this worker, and acknowledges it.
-- A late result (job cancelled, or recovered and owned by another worker) is discarded.
-- KEYS[1] job hash, KEYS[2] the worker's processing list, KEYS[3] stats hash
-- ARGV[1] id, ARGV[2] worker id, ARGV[3] finishedAt, ARGV[4] result JSON, ARGV[5] TTL seconds,
-- ARGV[6] done channel, ARGV[7] stats counter to increment, ARGV[8] raw output JSON or '',
-- ARGV[9] the worker's phase timings JSON, ARGV[10] batch key prefix, ARGV[11] the verdict
-- Returns 1 when stored, 0 when discarded, or the batch id when this job was its batch's last.
redis.call('LREM', KEYS[2], 0, ARGV[1])
if redis.call('HGET', KEYS[1], 'status') ~= 'running' or redis.call('HGET', KEYS[1], 'worker') ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'completed', 'finishedAt', ARGV[3], 'result', ARGV[4], 'timings', ARGV[9],
  'verdict', ARGV[11])
if ARGV[8] ~= '' then
  redis.call('HSET', KEYS[1], 'rawOutput', ARGV[8])
end
redis.call('HDEL', KEYS[1], 'request')
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
redis.call('HINCRBY', KEYS[3], ARGV[7], 1)
redis.call('PUBLISH', ARGV[6], ARGV[1])
local batch = redis.call('HGET', KEYS[1], 'batch')
if batch then
  local key = ARGV[10] .. batch
  if redis.call('HINCRBY', key, 'done', 1) >= tonumber(redis.call('HGET', key, 'total')) then
    redis.call('PUBLISH', ARGV[6], 'batch:' .. batch)
    return batch
  end
end
return 1
