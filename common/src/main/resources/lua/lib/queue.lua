-- The tenant-aware queue's shared part, prepended by LuaScript.withQueue to every script that puts a job
-- into, or takes it out of, the queued or running state. Its key names come last in ARGV
-- (QueueLayout.ARGS, in this order: the anonymous tenant's id, then key names), so each script's own
-- ARGV keeps its numbering.
-- Counts follow status, never lists: a tenant's 'queued' counts its jobs in status queued (delayed ones
-- included), 'running' its jobs in status running; every script that changes a status moves the counts
-- with it, once. A job hash without a 'tenant' field (stored before tenants existed, or written by hand)
-- is queued as the anonymous tenant's but counted nowhere, in and out alike, so counts never drift.
local Q = {
  anonymous = ARGV[#ARGV - 8], job = ARGV[#ARGV - 7], tenants = ARGV[#ARGV - 6], pending = ARGV[#ARGV - 5],
  batches = ARGV[#ARGV - 4], batch_queue = ARGV[#ARGV - 3], counts = ARGV[#ARGV - 2], queued = ARGV[#ARGV - 1],
  wake_list = ARGV[#ARGV]
}

-- The tenant a job is queued for, and whether it is counted (it has a 'tenant' field).
function Q.tenant(job)
  local tenant = redis.call('HGET', job, 'tenant')
  if tenant then
    return tenant, true
  end
  return Q.anonymous, false
end

local function add(key, field, delta)
  if tonumber(redis.call('HINCRBY', key, field, delta)) < 0 then
    redis.call('HSET', key, field, 0)
  end
end

-- Moves a counted job's counts along a status change: from/to are 'queued', 'running' or nil (none).
function Q.move(tenant, counted, from, to)
  if not counted then
    return
  end
  for _, change in ipairs({{from, -1}, {to, 1}}) do
    if change[1] then
      add(Q.counts .. tenant, change[1], change[2])
      if change[1] == 'queued' and tonumber(redis.call('INCRBY', Q.queued, change[2])) < 0 then
        redis.call('SET', Q.queued, 0)
      end
    end
  end
end

-- Wakes one idle worker (the list holds at most one token; a woken worker that claims wakes the next).
-- A token already there is left alone: one read instead of two writes on every submission while no
-- worker is idle to take it.
function Q.wake()
  if redis.call('LLEN', Q.wake_list) == 0 then
    redis.call('RPUSH', Q.wake_list, '1')
  end
end

-- The tenant takes part in the rotation (once).
function Q.activate(tenant)
  if not redis.call('LPOS', Q.tenants, tenant) then
    redis.call('RPUSH', Q.tenants, tenant)
  end
end

-- Queues an id on its tenant's pending list: 'head' = next out (given back), 'tail' = behind the others.
function Q.push(tenant, id, where)
  if where == 'head' then
    redis.call('RPUSH', Q.pending .. tenant, id)
  else
    redis.call('LPUSH', Q.pending .. tenant, id)
  end
  Q.activate(tenant)
  Q.wake()
end

-- A job of this tenant stopped running: if the tenant has work waiting (perhaps held back by its
-- maxRunning cap), an idle worker should look again.
function Q.slot_freed(tenant)
  if tonumber(redis.call('HGET', Q.counts .. tenant, 'queued') or '0') > 0 then
    Q.wake()
  end
end
