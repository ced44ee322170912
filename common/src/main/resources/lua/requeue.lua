-- Gives a running job back to the queue (its worker is shutting down or was lost), at the head so it
-- runs next. Only the owning worker's claim is undone; anything else is just dropped from the list.
-- KEYS[1] job hash, KEYS[2] the worker's processing list, KEYS[3] pending list
-- ARGV[1] id, ARGV[2] worker id
-- Returns 1 when requeued, 0 otherwise.
local held = redis.call('LREM', KEYS[2], 0, ARGV[1])
local status = redis.call('HGET', KEYS[1], 'status')
local owner = redis.call('HGET', KEYS[1], 'worker')
if status ~= 'running' or (owner and owner ~= ARGV[2]) then
  -- Queued but held: the worker died between BLMOVE and claim.lua. Not held: someone else requeued it.
  if status == 'queued' and held > 0 then
    redis.call('RPUSH', KEYS[3], ARGV[1])
    return 1
  end
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'queued')
redis.call('HDEL', KEYS[1], 'worker', 'startedAt')
redis.call('RPUSH', KEYS[3], ARGV[1])
return 1
