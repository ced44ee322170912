-- A token bucket, by Redis's clock (TIME), so every API replica draws from the same bucket.
-- The bucket holds up to `capacity` tokens and refills continuously at capacity per `window` ms.
-- A request costing `cost` is admitted when the bucket holds min(cost, capacity) tokens, and then takes
-- all `cost` of them: a batch larger than the bucket is admitted when the bucket is full and leaves it
-- in debt (negative), so the long-run rate stays capacity per window. cost 0 only reads the bucket.
-- KEYS[1] bucket hash (tokens, ts)
-- ARGV[1] capacity (> 0), ARGV[2] window in ms (> 0), ARGV[3] cost (>= 0)
-- Returns {admitted 1/0, tokens left (floor, >= 0), ms until the request could be admitted (0 if it was),
--          ms until the bucket is full again}.
local capacity = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
local rate = capacity / window  -- tokens per ms
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local needed = math.min(cost, capacity)
local admitted = 0
local wait = 0
if tokens >= needed then
  tokens = tokens - cost
  admitted = 1
else
  wait = math.ceil((needed - tokens) / rate)
end
local untilFull = math.ceil((capacity - tokens) / rate)
if cost > 0 then
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%d', now))
  redis.call('PEXPIRE', KEYS[1], untilFull + 1000)
end
return {admitted, math.max(0, math.floor(tokens)), wait, untilFull}
