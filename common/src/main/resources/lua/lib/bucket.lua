-- A token bucket by Redis's clock (TIME), so every API replica draws from the same bucket. Prepended by
-- LuaScript.withLibs to token_bucket.lua (the rate limit on its own) and submit.lua (charged in the same
-- step as the job it admits).
-- The bucket holds up to `capacity` tokens and refills continuously at capacity per `window` ms.
-- A request costing `cost` is admitted when the bucket holds min(cost, capacity) tokens, and then takes
-- all `cost` of them: a batch larger than the bucket is admitted when the bucket is full and leaves it
-- in debt (negative), so the long-run rate stays capacity per window. cost 0 only reads the bucket.
local Bucket = {}

-- Decides on a request without writing: {admitted 1/0, tokens left (floor, >= 0), ms until the request
-- could be admitted (0 if it was), ms until the bucket is full again, and what Bucket.store writes}.
function Bucket.decide(key, capacity, window, cost)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local state = redis.call('HMGET', key, 'tokens', 'ts')
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
  return {admitted = admitted, remaining = math.max(0, math.floor(tokens)), wait = wait, untilFull = untilFull,
          tokens = tokens, now = now}
end

-- Writes a decision's bucket state (the refill so far, minus the cost when it was admitted).
function Bucket.store(key, decision)
  redis.call('HSET', key, 'tokens', string.format('%.6f', decision.tokens), 'ts', string.format('%d', decision.now))
  redis.call('PEXPIRE', key, decision.untilFull + 1000)
end

-- The four numbers a caller reads: admitted, remaining, retry-after ms, reset ms.
function Bucket.reply(decision)
  return {decision.admitted, decision.remaining, decision.wait, decision.untilFull}
end
