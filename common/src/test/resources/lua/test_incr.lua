-- Test script of ScriptPipelineIT: INCRBY KEYS[1] by ARGV[1].
return redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
