-- Moves released jobs whose delay is over (by Redis's clock) to the TAIL of their tenant's pending list
-- (the list is popped from the right), so jobs that waited longer go first. A job that is no longer
-- queued (cancelled meanwhile) is just dropped. Counts do not change: a delayed job counts as queued.
-- KEYS[1] delayed sorted set
-- ARGV[1] most ids to move, then QueueLayout.ARGS
-- Returns how many ids were moved.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]))
local moved = 0
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[1], id)
  local job = Q.job .. id
  if redis.call('HGET', job, 'status') == 'queued' then
    Q.push((Q.tenant(job)), id, 'tail')
    moved = moved + 1
  end
end
return moved
