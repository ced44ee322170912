-- Gives back to the queue an id that BLMOVE put in a worker's processing list but that was never
-- claimed (the worker died before claim.lua, or the claim's reply was lost). A running job is left
-- alone, its lease decides; except a job that a dead worker runs without any lease (claimed by a
-- script older than leases): nothing else would ever recover it. Anything else (finished, cancelled,
-- gone) is only dropped from the list.
-- A job put back goes to the head of its tenant's pending list (it was next out already).
-- KEYS[1] job hash, KEYS[2] the worker's processing list, KEYS[3] leases zset
-- ARGV[1] id, ARGV[2] the worker's id when it is dead, '' when it is alive, then QueueLayout.ARGS
-- Returns 1 when requeued, 0 when dropped, -1 when left alone.
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'running' then
  local unleased = ARGV[2] ~= '' and redis.call('HGET', KEYS[1], 'worker') == ARGV[2]
      and not redis.call('ZSCORE', KEYS[3], ARGV[1])
  if not unleased then
    return -1
  end
  redis.call('HSET', KEYS[1], 'status', 'queued')
  redis.call('HDEL', KEYS[1], 'worker', 'startedAt')
  redis.call('LREM', KEYS[2], 0, ARGV[1])
  local tenant, counted = Q.tenant(KEYS[1])
  Q.move(tenant, counted, 'running', 'queued')
  Q.push(tenant, ARGV[1], 'head')
  return 1
end
local held = redis.call('LREM', KEYS[2], 0, ARGV[1])
if status == 'queued' and held > 0 then
  Q.push((Q.tenant(KEYS[1])), ARGV[1], 'head')
  return 1
end
return 0
