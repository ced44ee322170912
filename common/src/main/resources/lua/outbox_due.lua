-- Moves due retries back into the outbox stream, each as a new entry carrying its next attempt number.
-- Any worker may run it at any time: removing from the set and adding to the stream happen in one step.
-- KEYS[1] retries sorted set (score = due time in ms, Redis clock), KEYS[2] outbox stream
-- ARGV[1] the most retries to move in one call
-- Returns how many were moved.
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local due = redis.call('ZRANGE', KEYS[1], '-inf', nowMs, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]))
for _, member in ipairs(due) do
  local retry = cjson.decode(member)
  redis.call('ZREM', KEYS[1], member)
  redis.call('XADD', KEYS[2], '*', 'kind', retry.kind, 'id', retry.id, 'url', retry.url, 'attempt', retry.attempt)
end
return #due
