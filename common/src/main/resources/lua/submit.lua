-- Stores a new job and queues its id in one atomic step, unless the queue is full. With an idempotency
-- key, a key seen before answers with the job it created (checked first: a retry is never refused as
-- full), and the same key with another request is refused.
-- KEYS[1] job hash, KEYS[2] pending list, KEYS[3] queued-batch-jobs counter, KEYS[4] delayed set,
-- KEYS[5] idempotency key (only when ARGV[8] is not '')
-- ARGV[1] id, ARGV[2] language, ARGV[3] createdAt, ARGV[4] request JSON, ARGV[5] max queue length,
-- ARGV[6] milliseconds the API spent on the submission before this script, ARGV[7] callbackUrl or '',
-- ARGV[8] request fingerprint or '' (no idempotency key), ARGV[9] idempotency key TTL seconds
-- Queued jobs = pending list + jobs waiting in batch queues + jobs released with a delay.
-- Returns {'queued', id}, {'replayed', original id}, {'full'} or {'reused'}.
local idempotent = ARGV[8] ~= ''
if idempotent then
  local seen = redis.call('GET', KEYS[5])
  if seen then
    local kind, id, fingerprint = string.match(seen, '^(%S+) (%S+) (%S+)$')
    if kind == 'job' and fingerprint == ARGV[8] then
      return {'replayed', id}
    end
    return {'reused'}
  end
end
local queued = redis.call('LLEN', KEYS[2]) + tonumber(redis.call('GET', KEYS[3]) or '0')
  + redis.call('ZCARD', KEYS[4])
if queued >= tonumber(ARGV[5]) then
  return {'full'}
end
-- callbackUrl is kept even when '' (none), so completion scripts never need to look into the request.
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'status', 'queued', 'language', ARGV[2],
  'createdAt', ARGV[3], 'request', ARGV[4], 'attempts', 0, 'apiMs', ARGV[6], 'callbackUrl', ARGV[7])
redis.call('LPUSH', KEYS[2], ARGV[1])
if idempotent then
  redis.call('SET', KEYS[5], 'job ' .. ARGV[1] .. ' ' .. ARGV[8], 'EX', tonumber(ARGV[9]))
end
return {'queued', ARGV[1]}
