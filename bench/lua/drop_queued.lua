-- The bench's cleanup (bench/queue_cleanup.py): drops one tenant's queued single jobs submitted since a
-- cutoff, as if they had never been submitted, and brings the queue's counts back with them. With the
-- workers at 0 that is every job a front-door or API-only run (S7, S4) queued; jobs queued before the
-- cutoff, other tenants' and batch jobs stay as they are.
-- What a submission leaves (common/.../lua/submit.lua, lib/queue.lua, without an Idempotency-Key, which
-- the bench never sends): the job hash, its id on the tenant's pending list, +1 on the tenant's 'queued'
-- count and on the all-tenant counter, the tenant in the rotation and a wake-up token. Each goes here.
-- KEYS[1] the tenant's pending list, KEYS[2] its counts hash, KEYS[3] the all-tenant queued counter,
-- KEYS[4] the tenant rotation list, KEYS[5] the tenant's active batches list, KEYS[6] the wake-up list
-- ARGV[1] tenant id, ARGV[2] job hash prefix, ARGV[3] job event stream prefix, ARGV[4] executions prefix,
-- ARGV[5] cutoff: a job counts as the bench's when its createdAt (ISO-8601 UTC, compared to the second)
-- is at or after it; '' = every queued job of the tenant
-- Returns {dropped, of them counted (had a tenant field), left on the pending list, all-tenant queued after}.
local cutoff = ARGV[5]
local ids = redis.call('LRANGE', KEYS[1], 0, -1)
local keep, dropped, counted = {}, 0, 0
for _, id in ipairs(ids) do
  local f = redis.call('HMGET', ARGV[2] .. id, 'status', 'createdAt', 'tenant', 'batch')
  local status, created, tenant, batch = f[1], f[2], f[3], f[4]
  local ours = status == 'queued' and not batch and (tenant == false or tenant == ARGV[1])
      and (cutoff == '' or (created and string.sub(created, 1, 19) >= cutoff))
  if ours then
    redis.call('DEL', ARGV[2] .. id, ARGV[3] .. id, ARGV[4] .. id)
    dropped = dropped + 1
    if tenant then
      counted = counted + 1  -- a job without a tenant field is counted nowhere (lib/queue.lua)
    end
  else
    keep[#keep + 1] = id
  end
end
if dropped > 0 then
  -- Rebuilt in one pass (LREM per id would be quadratic over 100,000 ids), order kept.
  redis.call('DEL', KEYS[1])
  for i = 1, #keep, 1000 do
    redis.call('RPUSH', KEYS[1], unpack(keep, i, math.min(i + 999, #keep)))
  end
end
local function lower(key, field, by)
  if by == 0 then  -- nothing to take back: read, never create the key
    return tonumber((field and redis.call('HGET', key, field) or redis.call('GET', key)) or '0')
  end
  local left = field and redis.call('HINCRBY', key, field, -by) or redis.call('INCRBY', key, -by)
  if tonumber(left) < 0 then
    if field then redis.call('HSET', key, field, 0) else redis.call('SET', key, 0) end
    return 0
  end
  return tonumber(left)
end
local mine = lower(KEYS[2], 'queued', counted)
local all = lower(KEYS[3], nil, counted)
if mine == 0 and redis.call('LLEN', KEYS[1]) == 0 and redis.call('LLEN', KEYS[5]) == 0 then
  redis.call('LREM', KEYS[4], 0, ARGV[1])  -- nothing of the tenant's waits: out of the rotation
end
if all == 0 then
  redis.call('DEL', KEYS[6])               -- nothing waits anywhere: no wake-up token
end
return {dropped, counted, #keep, all}
