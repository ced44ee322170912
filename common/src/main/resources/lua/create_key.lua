-- Stores a new API key and, when its tenant does not exist yet, the tenant, in one atomic step: two keys
-- created at once for one new tenant share one tenant and one callback secret.
-- KEYS[1] tenant hash, KEYS[2] API key hash (by the key's SHA-256), KEYS[3] key id -> SHA-256 string,
-- KEYS[4] set of key ids
-- ARGV[1] tenant name (used only for a new tenant), ARGV[2] plan JSON, ARGV[3] callback secret (new tenant),
-- ARGV[4] createdAt, ARGV[5] '1' to replace an existing tenant's plan with ARGV[2], ARGV[6] key id,
-- ARGV[7] key name, ARGV[8] the key's SHA-256, ARGV[9] tenant id
-- Returns {1 if the tenant is new else 0, the tenant's plan JSON, the tenant's name}.
local created = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'name', ARGV[1], 'plan', ARGV[2], 'callbackSecret', ARGV[3], 'createdAt', ARGV[4])
  created = 1
elseif ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'plan', ARGV[2])
end
redis.call('HSET', KEYS[2], 'keyId', ARGV[6], 'tenant', ARGV[9],
  'name', ARGV[7], 'createdAt', ARGV[4], 'lastUsedAt', '', 'revoked', '0')
redis.call('SET', KEYS[3], ARGV[8])
redis.call('SADD', KEYS[4], ARGV[6])
local tenant = redis.call('HMGET', KEYS[1], 'plan', 'name')
return {created, tenant[1], tenant[2]}
