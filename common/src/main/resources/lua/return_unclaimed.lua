-- Puts back an id a worker moved into its processing list but never claimed (it stopped, or the reply
-- to the move was lost): the job is still queued, so there is no lease and no status changes. A stale
-- entry of a finished or vanished job is just dropped; a claimed (running) job is left alone.
-- KEYS[1] job hash, KEYS[2] the worker's processing list, KEYS[3] pending list
-- ARGV[1] id
-- Returns 1 when put back at the head of the queue, 0 otherwise.
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'running' then
  return 0
end
if redis.call('LREM', KEYS[2], 0, ARGV[1]) == 0 or status ~= 'queued' then
  return 0
end
redis.call('RPUSH', KEYS[3], ARGV[1])
return 1
