-- Extends the lease of a running job, if the caller still holds it (same token).
-- KEYS[1] job hash, KEYS[2] leases sorted set
-- ARGV[1] id, ARGV[2] token, ARGV[3] lease length in ms
-- Returns the new leaseUntil (ms, Redis clock), or 0 when the lease is lost (job not running, or claimed again).
if redis.call('HGET', KEYS[1], 'status') ~= 'running' or redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then
  return 0
end
local time = redis.call('TIME')
local leaseUntil = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'leaseUntil', leaseUntil)
redis.call('ZADD', KEYS[2], leaseUntil, ARGV[1])
return leaseUntil
