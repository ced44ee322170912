-- The reaper gives back a running job whose lease has lapsed (by Redis's clock): its holder stopped
-- renewing. Nothing changes unless the job is still running under the same token and worker.
-- KEYS[1] job hash, KEYS[2] the holder's processing list, KEYS[3] pending list, KEYS[4] leases sorted set
-- ARGV[1] id, ARGV[2] token, ARGV[3] the holder's worker id
-- Returns 1 when requeued, 0 otherwise.
local fields = redis.call('HMGET', KEYS[1], 'status', 'token', 'worker', 'leaseUntil')
if fields[1] ~= 'running' or fields[2] ~= ARGV[2] or fields[3] ~= ARGV[3] then
  return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if tonumber(fields[4] or '0') >= now then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'queued')
redis.call('HDEL', KEYS[1], 'worker', 'startedAt', 'leaseUntil')
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('LREM', KEYS[2], 0, ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[1])
return 1
