-- Releases the reaper lock only if this pass still holds it (compare-and-delete): a pass whose lock
-- expired must not delete the lock of the reaper that took over.
-- KEYS[1] the lock, ARGV[1] this pass's lock value
-- Returns 1 when released, 0 when the lock was someone else's (or gone).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
