-- Once per worker process: jobs queued before tenants existed (the single pending list and the batch
-- rotation of that version) join the anonymous tenant's queues, oldest still first out, so an upgrade
-- strands no job. Their hashes have no 'tenant' field: they are counted nowhere (see lib/queue.lua).
-- KEYS[1] the old pending list, KEYS[2] the old list of batches, KEYS[3] the old batch-jobs counter
-- ARGV: QueueLayout.ARGS
-- Returns how many ids and batch ids were moved.
local moved = 0
local pending = Q.pending .. Q.anonymous
while redis.call('LMOVE', KEYS[1], pending, 'LEFT', 'RIGHT') do
  moved = moved + 1
end
while redis.call('LMOVE', KEYS[2], Q.batches .. Q.anonymous, 'LEFT', 'RIGHT') do
  moved = moved + 1
end
redis.call('DEL', KEYS[3])
if moved > 0 then
  Q.activate(Q.anonymous)
  Q.wake()
end
return moved
