-- Moves released jobs whose delay is over (by Redis's clock) to the TAIL of the pending list (the list
-- is popped from the right), so jobs that waited longer go first. A job that is no longer queued
-- (cancelled meanwhile) is just dropped.
-- KEYS[1] delayed sorted set, KEYS[2] pending list
-- ARGV[1] job key prefix, ARGV[2] most ids to move
-- Returns how many ids were moved.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[2]))
local moved = 0
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[1], id)
  if redis.call('HGET', ARGV[1] .. id, 'status') == 'queued' then
    redis.call('LPUSH', KEYS[2], id)
    moved = moved + 1
  end
end
return moved
