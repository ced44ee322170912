-- Records, right before a run starts, that the lease holder is about to execute the job: the execution
-- log tests and operators count runs from (never a counter the transition scripts keep). It is the fence
-- at the start of a run: nothing is recorded, and the worker must not run the job, unless the job still
-- runs under this token. Idempotent: a retry after a lost reply adds no second entry.
-- KEYS[1] job hash, KEYS[2] the job's executions list
-- ARGV[1] token, ARGV[2] entry "<worker>:<token>", ARGV[3] TTL seconds
-- Returns 1 when the run may start (recorded now or by an earlier call), 0 when the lease is not held.
local f = redis.call('HMGET', KEYS[1], 'status', 'token')
if f[1] ~= 'running' or f[2] ~= ARGV[1] then
  return 0
end
if not redis.call('LPOS', KEYS[2], ARGV[2]) then
  redis.call('RPUSH', KEYS[2], ARGV[2])
end
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[3]))
return 1
