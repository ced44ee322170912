package io.codeexec.common.queue;

import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * How a hot-path script call reaches Redis: {@link #direct} sends each call on its own (one round trip
 * per call, on the caller's thread), {@link ScriptPipeline} groups the calls of concurrent callers into
 * one pipelined round trip. Either way the caller gets the script's answer or its exception.
 */
public interface ScriptRunner {
    Object run(LuaScript script, List<String> keys, List<String> args);

    /** One round trip per call. */
    static ScriptRunner direct(UnifiedJedis redis) {
        return (script, keys, args) -> script.run(redis, keys, args);
    }
}
