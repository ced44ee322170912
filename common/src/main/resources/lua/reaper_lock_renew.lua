-- Extends the reaper lock if this pass still holds it (compare-and-expire), for a pass that runs long.
-- KEYS[1] the lock, ARGV[1] this pass's lock value, ARGV[2] new lifetime in ms
-- Returns 1 when extended, 0 when the lock is lost.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
