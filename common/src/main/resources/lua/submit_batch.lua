-- Stores a batch and all its jobs and queues them in one atomic step, unless the queue would pass
-- its maximum (queued single jobs + queued batch jobs + this batch).
-- KEYS[1] batch hash, KEYS[2] batch's job-id list, KEYS[3] batch's queue, KEYS[4] active batches list,
-- KEYS[5] pending list, KEYS[6] queued-batch-jobs counter, KEYS[7..] one job hash per job
-- ARGV[1] batch id, ARGV[2] createdAt, ARGV[3] metadata JSON, ARGV[4] callbackUrl or '', ARGV[5] max
-- queue length, ARGV[6] TTL seconds of the batch, then per job: id, language, request JSON, apiMs
-- Returns 1 when queued, 0 when the queue is full.
local count = #KEYS - 6
local queued = redis.call('LLEN', KEYS[5]) + tonumber(redis.call('GET', KEYS[6]) or '0')
if queued + count > tonumber(ARGV[5]) then
  return 0
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'createdAt', ARGV[2], 'metadata', ARGV[3], 'callbackUrl', ARGV[4],
  'total', count, 'done', 0)
for i = 1, count do
  local base = 6 + (i - 1) * 4
  local id = ARGV[base + 1]
  redis.call('HSET', KEYS[6 + i], 'id', id, 'status', 'queued', 'language', ARGV[base + 2], 'createdAt', ARGV[2],
    'request', ARGV[base + 3], 'attempts', 0, 'apiMs', ARGV[base + 4], 'batch', ARGV[1])
  redis.call('RPUSH', KEYS[2], id)
  redis.call('LPUSH', KEYS[3], id)
end
redis.call('INCRBY', KEYS[6], count)
redis.call('RPUSH', KEYS[4], ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[6]))
return 1
