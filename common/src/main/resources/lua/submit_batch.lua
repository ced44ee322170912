-- Stores a batch and all its jobs and queues them in one atomic step, unless the queue would pass its
-- maximum. With an idempotency key, a key seen before answers with the batch it created (checked
-- first), and the same key with another request is refused.
-- KEYS[1] batch hash, KEYS[2] batch's job-id list, KEYS[3] batch's queue, KEYS[4] active batches list,
-- KEYS[5] pending list, KEYS[6] queued-batch-jobs counter, KEYS[7] delayed set, KEYS[8] idempotency key
-- (only when ARGV[7] is not ''), then one job hash per job
-- ARGV[1] batch id, ARGV[2] createdAt, ARGV[3] metadata JSON, ARGV[4] callbackUrl or '', ARGV[5] max
-- queue length, ARGV[6] TTL seconds of the batch, ARGV[7] request fingerprint or '', ARGV[8] idempotency
-- key TTL seconds, then per job: id, language, request JSON, apiMs, callbackUrl or '' (kept as given:
-- '' tells the completion scripts there is none without their looking into the request)
-- Queued jobs = pending list + jobs waiting in batch queues + jobs released with a delay + this batch.
-- Returns {'queued', batch id}, {'replayed', original batch id}, {'full'} or {'reused'}.
local idempotent = ARGV[7] ~= ''
local fixed = idempotent and 8 or 7
if idempotent then
  local seen = redis.call('GET', KEYS[8])
  if seen then
    local kind, id, fingerprint = string.match(seen, '^(%S+) (%S+) (%S+)$')
    if kind == 'batch' and fingerprint == ARGV[7] then
      return {'replayed', id}
    end
    return {'reused'}
  end
end
local count = #KEYS - fixed
local queued = redis.call('LLEN', KEYS[5]) + tonumber(redis.call('GET', KEYS[6]) or '0')
  + redis.call('ZCARD', KEYS[7])
if queued + count > tonumber(ARGV[5]) then
  return {'full'}
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'createdAt', ARGV[2], 'metadata', ARGV[3], 'callbackUrl', ARGV[4],
  'total', count, 'done', 0)
for i = 1, count do
  local base = 8 + (i - 1) * 5
  local id = ARGV[base + 1]
  local job = KEYS[fixed + i]
  redis.call('HSET', job, 'id', id, 'status', 'queued', 'language', ARGV[base + 2], 'createdAt', ARGV[2],
    'request', ARGV[base + 3], 'attempts', 0, 'apiMs', ARGV[base + 4], 'batch', ARGV[1],
    'callbackUrl', ARGV[base + 5])
  redis.call('RPUSH', KEYS[2], id)
  redis.call('LPUSH', KEYS[3], id)
end
redis.call('INCRBY', KEYS[6], count)
redis.call('RPUSH', KEYS[4], ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[6]))
if idempotent then
  redis.call('SET', KEYS[8], 'batch ' .. ARGV[1] .. ' ' .. ARGV[7], 'EX', tonumber(ARGV[8]))
end
return {'queued', ARGV[1]}
