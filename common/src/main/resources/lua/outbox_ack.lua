-- Settles a callback entry for good: delivered, or dropped (last attempt failed, target refused, document gone).
-- It leaves the group's pending list and the stream in one step, so the backlog (XLEN) never counts it again.
-- KEYS[1] outbox stream, KEYS[2] stats hash
-- ARGV[1] consumer group, ARGV[2] entry id, ARGV[3] stats counter to increment, or '' for none
-- Returns 1 when this call settled it, 0 when it was no longer pending (another consumer settled it).
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
redis.call('XDEL', KEYS[1], ARGV[2])
if ARGV[3] ~= '' then
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
end
return 1
