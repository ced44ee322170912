-- Removes a stopping worker's consumer from the group, but only when it holds no entry: deleting a consumer
-- deletes its pending entries, and those must stay for another worker to claim.
-- KEYS[1] outbox stream
-- ARGV[1] consumer group, ARGV[2] consumer
-- Returns 1 when removed, 0 when kept (it still holds entries).
local held = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if #held > 0 then
  return 0
end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
