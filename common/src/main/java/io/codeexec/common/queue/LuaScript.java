package io.codeexec.common.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** One Lua script from resources/lua, run by its SHA and loaded again when Redis has forgotten it. */
public final class LuaScript {
    private final String source;
    private volatile String sha;

    private LuaScript(String source) {
        this.source = source;
    }

    public static LuaScript load(String name) {
        return new LuaScript(read(name));
    }

    /**
     * A queue script with the tenant-aware queue's shared part (lua/lib/queue.lua) in front: run it with
     * {@link QueueLayout#ARGS} after its own ARGV.
     */
    static LuaScript withQueue(String name, String... libs) {
        String[] all = new String[libs.length + 1];
        all[0] = "lib/queue";
        System.arraycopy(libs, 0, all, 1, libs.length);
        return withLibs(name, all);
    }

    /** A script with shared parts from resources/lua (e.g. "lib/bucket") in front, in the order given. */
    public static LuaScript withLibs(String name, String... libs) {
        StringBuilder source = new StringBuilder();
        for (String lib : libs) {
            source.append(read(lib)).append('\n');
        }
        return new LuaScript(source.append(read(name)).toString());
    }

    private static String read(String name) {
        String path = "/lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        return run(redis, keys, args, sha);
    }

    /** The script's SHA, loading it into Redis the first time (a pipeline sends EVALSHA only). */
    String sha(UnifiedJedis redis) {
        String current = sha;
        if (current == null) {
            current = redis.scriptLoad(source);
            sha = current;
        }
        return current;
    }

    /** Runs it directly after a pipelined EVALSHA met NOSCRIPT: loads it again, then runs it. */
    Object reload(UnifiedJedis redis, List<String> keys, List<String> args) {
        return run(redis, keys, args, null);
    }

    private Object run(UnifiedJedis redis, List<String> keys, List<String> args, String current) {
        if (current != null) {
            try {
                return redis.evalsha(current, keys, args);
            } catch (JedisNoScriptException e) {
                // Redis restarted or flushed its script cache: load it again below.
            }
        }
        sha = redis.scriptLoad(source);
        return redis.evalsha(sha, keys, args);
    }
}
