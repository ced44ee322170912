-- Cancels a queued or running job (no token: the API asks). A queued job leaves whatever queue holds it
-- (pending, its batch's queue, delayed) and never runs; a running job is marked cancelled at once (its
-- holder's result is then refused by complete.lua), loses its lease, and its id is published so the
-- worker kills the run. Enqueues the job's callback and, when this finished its batch, the batch's.
-- Its tenant's counts lose it (queued or running); a running one frees a slot of the tenant.
-- KEYS[1] job hash, KEYS[2] stats hash, KEYS[3] leases sorted set, KEYS[4] delayed sorted set,
-- KEYS[5] outbox stream, KEYS[6] the job's event stream (live output: its final status event, issue 13)
-- ARGV[1] id, ARGV[2] finishedAt, ARGV[3] TTL seconds, ARGV[4] done channel, ARGV[5] cancel channel,
-- ARGV[6] batch key prefix, ARGV[7] batch job-list key prefix, then QueueLayout.ARGS
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
redis.call('HINCRBY', KEYS[2], 'cancelled', 1)
redis.call('ZREM', KEYS[3], ARGV[1])
local batch = redis.call('HGET', KEYS[1], 'batch')
local tenant, counted = Q.tenant(KEYS[1])
Q.move(tenant, counted, status, nil)
if status == 'queued' then
  -- Wherever it waits: its batch's queue, its tenant's pending list (a job given back), or delayed. An
  -- emptied queue is left for the claim script to drop from the rotations.
  local removed = 0
  if batch then
    removed = redis.call('LREM', Q.batch_queue .. batch, 0, ARGV[1])
  end
  if removed == 0 then
    redis.call('LREM', Q.pending .. tenant, 0, ARGV[1])
  end
  redis.call('ZREM', KEYS[4], ARGV[1])
else
  Q.slot_freed(tenant)
  redis.call('PUBLISH', ARGV[5], ARGV[1])
end
redis.call('PUBLISH', ARGV[4], ARGV[1])
redis.call('XADD', KEYS[6], '*', 'event', 'status', 'data', '{"status":"cancelled"}')
redis.call('EXPIRE', KEYS[6], ttl)
if url and url ~= '' then
  redis.call('XADD', KEYS[5], '*', 'kind', 'job', 'id', ARGV[1], 'url', url, 'attempt', '1')
end
if batch then
  local key = ARGV[6] .. batch
  if redis.call('EXISTS', key) == 1 then
    local done = redis.call('HINCRBY', key, 'done', 1)
    redis.call('EXPIRE', key, ttl)
    redis.call('EXPIRE', ARGV[7] .. batch, ttl)
    if done >= tonumber(redis.call('HGET', key, 'total') or '0') then
      redis.call('PUBLISH', ARGV[4], 'batch:' .. batch)
      local batchUrl = redis.call('HGET', key, 'callbackUrl')
      if batchUrl and batchUrl ~= '' then
        redis.call('XADD', KEYS[5], '*', 'kind', 'batch', 'id', batch, 'url', batchUrl, 'attempt', '1')
      end
    end
  end
end
return status
