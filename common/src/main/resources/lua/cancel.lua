-- Cancels a queued or running job (no token: the API asks). A queued job leaves whatever queue holds it
-- (pending, its batch's queue, delayed) and never runs; a running job is marked cancelled at once (its
-- holder's result is then refused by complete.lua), loses its lease, and its id is published so the
-- worker kills the run. Enqueues the job's callback and, when this finished its batch, the batch's.
-- KEYS[1] job hash, KEYS[2] pending list, KEYS[3] stats hash, KEYS[4] queued-batch-jobs counter,
-- KEYS[5] leases sorted set, KEYS[6] delayed sorted set, KEYS[7] outbox stream,
-- KEYS[8] the job's event stream (live output: its final status event, issue 13)
-- ARGV[1] id, ARGV[2] finishedAt, ARGV[3] TTL seconds, ARGV[4] done channel, ARGV[5] cancel channel,
-- ARGV[6] batch key prefix, ARGV[7] batch queue key prefix, ARGV[8] batch job-list key prefix
-- Returns the status the job had: 'queued' or 'running' (now cancelled), 'completed' or 'cancelled'
-- (unchanged), or 'missing'.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return 'missing'
end
if status ~= 'queued' and status ~= 'running' then
  return status
end
local ttl = tonumber(ARGV[3])
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
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finishedAt', ARGV[2])
redis.call('HDEL', KEYS[1], 'request', 'leaseUntil')
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('HINCRBY', KEYS[3], 'cancelled', 1)
redis.call('ZREM', KEYS[5], ARGV[1])
local batch = redis.call('HGET', KEYS[1], 'batch')
if status == 'queued' then
  local removed = 0
  if batch then
    removed = redis.call('LREM', ARGV[7] .. batch, 0, ARGV[1])
    if removed > 0 and tonumber(redis.call('DECR', KEYS[4])) < 0 then
      redis.call('SET', KEYS[4], 0)
    end
  end
  if removed == 0 then
    redis.call('LREM', KEYS[2], 0, ARGV[1])
  end
  redis.call('ZREM', KEYS[6], ARGV[1])
else
  redis.call('PUBLISH', ARGV[5], ARGV[1])
end
redis.call('PUBLISH', ARGV[4], ARGV[1])
redis.call('XADD', KEYS[8], '*', 'event', 'status', 'data', '{"status":"cancelled"}') redis.call('EXPIRE', KEYS[8], ttl)
if url and url ~= '' then
  redis.call('XADD', KEYS[7], '*', 'kind', 'job', 'id', ARGV[1], 'url', url, 'attempt', '1')
end
if batch then
  local key = ARGV[6] .. batch
  if redis.call('EXISTS', key) == 1 then
    local done = redis.call('HINCRBY', key, 'done', 1)
    redis.call('EXPIRE', key, ttl)
    redis.call('EXPIRE', ARGV[8] .. batch, ttl)
    if done >= tonumber(redis.call('HGET', key, 'total') or '0') then
      redis.call('PUBLISH', ARGV[4], 'batch:' .. batch)
      local batchUrl = redis.call('HGET', key, 'callbackUrl')
      if batchUrl and batchUrl ~= '' then
        redis.call('XADD', KEYS[7], '*', 'kind', 'batch', 'id', batch, 'url', batchUrl, 'attempt', '1')
      end
    end
  end
end
return status
