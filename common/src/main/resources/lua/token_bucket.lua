-- The rate limit on its own (lua/lib/bucket.lua in front): takes `cost` tokens when the bucket has them.
-- KEYS[1] bucket hash (tokens, ts)
-- ARGV[1] capacity (> 0), ARGV[2] window in ms (> 0), ARGV[3] cost (>= 0)
-- Returns {admitted 1/0, tokens left (floor, >= 0), ms until the request could be admitted (0 if it was),
--          ms until the bucket is full again}.
local decision = Bucket.decide(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
if tonumber(ARGV[3]) > 0 then
  Bucket.store(KEYS[1], decision)
end
return Bucket.reply(decision)
