-- Schedules another attempt of a failed delivery. Only the consumer that holds the entry may: a consumer whose
-- entry was claimed by another (it stalled past the claim timeout) must not add a second copy. In one step the
-- entry leaves the stream (XACK + XDEL) and waits in the retries set until it is due, by Redis's clock.
-- KEYS[1] outbox stream, KEYS[2] retries sorted set
-- ARGV[1] consumer group, ARGV[2] consumer, ARGV[3] entry id, ARGV[4] the retry (JSON: kind, id, url, attempt),
-- ARGV[5] delay in ms
-- Returns 1 when scheduled, 0 when the entry is no longer this consumer's.
local held = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2])
if #held == 0 then
  return 0
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZADD', KEYS[2], nowMs + tonumber(ARGV[5]), ARGV[4])
return 1
