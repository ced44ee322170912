-- Stores a result if the caller holds the job's current lease (same token), acknowledges it, and
-- enqueues its callbacks in the outbox. Idempotent: the same token again (its first reply was lost)
-- succeeds again and changes nothing. A stale token (the job was recovered, claimed again or cancelled)
-- is refused; it never touches another attempt's list entry.
-- KEYS[1] job hash, KEYS[2] the worker's processing list, KEYS[3] stats hash, KEYS[4] leases sorted set,
-- KEYS[5] outbox stream, KEYS[6] the job's event stream (live output: its final status event, issue 13)
-- ARGV[1] id, ARGV[2] token, ARGV[3] finishedAt, ARGV[4] result JSON, ARGV[5] TTL seconds,
-- ARGV[6] done channel, ARGV[7] stats counter to increment, ARGV[8] raw output JSON or '',
-- ARGV[9] the worker's phase timings JSON, ARGV[10] batch key prefix, ARGV[11] the verdict,
-- ARGV[12] batch job-list key prefix, then QueueLayout.ARGS
-- The job's tenant runs one job fewer (its 'running' count), and an idle worker is woken when the tenant
-- has work waiting (its maxRunning cap may have held it back).
-- Returns 1 when stored (now or by an earlier call with this token), 0 when refused.
local fields = redis.call('HMGET', KEYS[1], 'status', 'token', 'completedToken')
local status, token = fields[1], fields[2]
if status == 'completed' and fields[3] == ARGV[2] then
  return 1
end
if status ~= 'running' or token ~= ARGV[2] then
  if status == 'cancelled' and token == ARGV[2] then
    redis.call('LREM', KEYS[2], 0, ARGV[1])
  end
  return 0
end
local ttl = tonumber(ARGV[5])
local url = redis.call('HGET', KEYS[1], 'callbackUrl')
if not url then
  local request = redis.call('HGET', KEYS[1], 'request')
  if request and string.find(request, '"callbackUrl"', 1, true) then
    local ok, decoded = pcall(cjson.decode, request)
    if ok and type(decoded) == 'table' and type(decoded.callbackUrl) == 'string' then
      url = decoded.callbackUrl
    end
  end
end
redis.call('HSET', KEYS[1], 'status', 'completed', 'finishedAt', ARGV[3], 'result', ARGV[4], 'timings', ARGV[9],
  'verdict', ARGV[11], 'completedToken', ARGV[2])
if ARGV[8] ~= '' then
  redis.call('HSET', KEYS[1], 'rawOutput', ARGV[8])
end
redis.call('HDEL', KEYS[1], 'request', 'leaseUntil')
redis.call('EXPIRE', KEYS[1], ttl)
local tenant, counted = Q.tenant(KEYS[1])
Q.move(tenant, counted, 'running', nil)
Q.slot_freed(tenant)
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('LREM', KEYS[2], 0, ARGV[1])
redis.call('HINCRBY', KEYS[3], ARGV[7], 1)
redis.call('PUBLISH', ARGV[6], ARGV[1])
redis.call('XADD', KEYS[6], '*', 'event', 'status', 'data', '{"status":"completed"}')
redis.call('EXPIRE', KEYS[6], ttl)
if url and url ~= '' then
  redis.call('XADD', KEYS[5], '*', 'kind', 'job', 'id', ARGV[1], 'url', url, 'attempt', '1')
end
local batch = redis.call('HGET', KEYS[1], 'batch')
if batch then
  local key = ARGV[10] .. batch
  -- An expired batch hash is not recreated (HINCRBY would leave it without TTL): the job still completes.
  if redis.call('EXISTS', key) == 1 then
    local done = redis.call('HINCRBY', key, 'done', 1)
    redis.call('EXPIRE', key, ttl)
    redis.call('EXPIRE', ARGV[12] .. batch, ttl)
    if done >= tonumber(redis.call('HGET', key, 'total') or '0') then
      redis.call('PUBLISH', ARGV[6], 'batch:' .. batch)
      local batchUrl = redis.call('HGET', key, 'callbackUrl')
      if batchUrl and batchUrl ~= '' then
        redis.call('XADD', KEYS[5], '*', 'kind', 'batch', 'id', batch, 'url', batchUrl, 'attempt', '1')
      end
    end
  end
end
return 1
