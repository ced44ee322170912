-- Stores a batch and all its jobs and queues them for their tenant in one atomic step, all or nothing:
-- refused when the tenant's queued jobs would pass its plan's maxQueued, or the whole queue its maximum.
-- With an idempotency key, a key seen before answers with the batch it created (checked first), and the
-- same key with another request is refused. Records the tenant's maxRunning for the claim script.
-- KEYS[1] batch hash, KEYS[2] batch's job-id list, KEYS[3] batch's queue, KEYS[4] idempotency key
-- (only when ARGV[7] is not ''), then one job hash per job
-- ARGV[1] batch id, ARGV[2] createdAt, ARGV[3] metadata JSON, ARGV[4] callbackUrl or '', ARGV[5] max
-- queue length, ARGV[6] TTL seconds of the batch, ARGV[7] request fingerprint or '', ARGV[8] idempotency
-- key TTL seconds, ARGV[9] tenant id, ARGV[10] its maxQueued (<= 0: none), ARGV[11] its maxRunning
-- (<= 0: none), then per job: id, language, request JSON, apiMs, callbackUrl or '' (kept as given: ''
-- tells the completion scripts there is none without their looking into the request), then
-- QueueLayout.ARGS
-- Returns {'queued', batch id}, {'replayed', original batch id}, {'quota', queued}, {'full'} or {'reused'}.
local idempotent = ARGV[7] ~= ''
local fixed = idempotent and 4 or 3
if idempotent then
  local seen = redis.call('GET', KEYS[4])
  if seen then
    local kind, id, fingerprint = string.match(seen, '^(%S+) (%S+) (%S+)$')
    if kind == 'batch' and fingerprint == ARGV[7] then
      return {'replayed', id}
    end
    return {'reused'}
  end
end
local count = #KEYS - fixed
local tenant = ARGV[9]
local counts = Q.counts .. tenant
local mine = tonumber(redis.call('HGET', counts, 'queued') or '0')
if tonumber(ARGV[10]) > 0 and mine + count > tonumber(ARGV[10]) then
  return {'quota', mine}
end
if tonumber(redis.call('GET', Q.queued) or '0') + count > tonumber(ARGV[5]) then
  return {'full'}
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'createdAt', ARGV[2], 'metadata', ARGV[3], 'callbackUrl', ARGV[4],
  'total', count, 'done', 0, 'tenant', tenant)
for i = 1, count do
  local base = 11 + (i - 1) * 5
  local id = ARGV[base + 1]
  local job = KEYS[fixed + i]
  redis.call('HSET', job, 'id', id, 'status', 'queued', 'language', ARGV[base + 2], 'createdAt', ARGV[2],
    'request', ARGV[base + 3], 'attempts', 0, 'apiMs', ARGV[base + 4], 'batch', ARGV[1],
    'callbackUrl', ARGV[base + 5], 'tenant', tenant)
  redis.call('RPUSH', KEYS[2], id)
  redis.call('LPUSH', KEYS[3], id)
end
redis.call('HSET', counts, 'maxRunning', math.max(0, tonumber(ARGV[11])))
redis.call('HINCRBY', counts, 'queued', count)
redis.call('INCRBY', Q.queued, count)
redis.call('RPUSH', Q.batches .. tenant, ARGV[1])
Q.activate(tenant)
Q.wake()
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[6]))
if idempotent then
  redis.call('SET', KEYS[4], 'batch ' .. ARGV[1] .. ' ' .. ARGV[7], 'EX', tonumber(ARGV[8]))
end
return {'queued', ARGV[1]}
