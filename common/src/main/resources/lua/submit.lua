-- Stores a new job and queues its id on its tenant's pending list in one atomic step, unless the tenant
-- has its plan's maxQueued jobs queued already, or the whole queue is full. With an idempotency key, a
-- key seen before answers with the job it created (checked first: a retry is never refused), and the
-- same key with another request is refused. Records the tenant's maxRunning for the claim script.
-- KEYS[1] job hash, KEYS[2] idempotency key (only when ARGV[8] is not '')
-- ARGV[1] id, ARGV[2] language, ARGV[3] createdAt, ARGV[4] request JSON, ARGV[5] max queue length,
-- ARGV[6] milliseconds the API spent on the submission before this script, ARGV[7] callbackUrl or '',
-- ARGV[8] request fingerprint or '' (no idempotency key), ARGV[9] idempotency key TTL seconds,
-- ARGV[10] tenant id, ARGV[11] the tenant's maxQueued (<= 0: none), ARGV[12] its maxRunning (<= 0: none),
-- ARGV[13] the rate limit's bucket key or '' (none), ARGV[14] its capacity, ARGV[15] its window in ms,
-- ARGV[16] the submission's cost in tokens, then QueueLayout.ARGS
-- The rate limit (lua/lib/bucket.lua) is charged in the same step, only when the job is queued: a replay
-- and a refused submission cost nothing.
-- Queued jobs = every job in status queued (single, in a batch, or released with a delay).
-- Returns {'queued', id} ({'queued', id, admitted, remaining, retry ms, reset ms} when charged),
-- {'replayed', original id}, {'rate', admitted, remaining, retry ms, reset ms}, {'quota', queued},
-- {'full'} or {'reused'}.
local idempotent = ARGV[8] ~= ''
if idempotent then
  local seen = redis.call('GET', KEYS[2])
  if seen then
    local kind, id, fingerprint = string.match(seen, '^(%S+) (%S+) (%S+)$')
    if kind == 'job' and fingerprint == ARGV[8] then
      return {'replayed', id}
    end
    return {'reused'}
  end
end
local charge = nil
if ARGV[13] ~= '' then
  charge = Bucket.decide(ARGV[13], tonumber(ARGV[14]), tonumber(ARGV[15]), tonumber(ARGV[16]))
  if charge.admitted == 0 then
    local refused = Bucket.reply(charge)
    table.insert(refused, 1, 'rate')
    return refused
  end
end
local tenant = ARGV[10]
local counts = Q.counts .. tenant
local mine = tonumber(redis.call('HGET', counts, 'queued') or '0')
if tonumber(ARGV[11]) > 0 and mine + 1 > tonumber(ARGV[11]) then
  return {'quota', mine}
end
if tonumber(redis.call('GET', Q.queued) or '0') >= tonumber(ARGV[5]) then
  return {'full'}
end
-- callbackUrl is kept even when '' (none), so completion scripts never need to look into the request.
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'status', 'queued', 'language', ARGV[2],
  'createdAt', ARGV[3], 'request', ARGV[4], 'attempts', 0, 'apiMs', ARGV[6], 'callbackUrl', ARGV[7],
  'tenant', tenant)
redis.call('HSET', counts, 'maxRunning', math.max(0, tonumber(ARGV[12])))
Q.move(tenant, true, nil, 'queued')
Q.push(tenant, ARGV[1], 'tail')
if idempotent then
  redis.call('SET', KEYS[2], 'job ' .. ARGV[1] .. ' ' .. ARGV[8], 'EX', tonumber(ARGV[9]))
end
if charge then
  Bucket.store(ARGV[13], charge)
  local admitted = Bucket.reply(charge)
  table.insert(admitted, 1, ARGV[1])
  table.insert(admitted, 1, 'queued')
  return admitted
end
return {'queued', ARGV[1]}
