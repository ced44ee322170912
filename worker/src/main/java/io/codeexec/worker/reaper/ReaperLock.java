package io.codeexec.worker.reaper;

import io.codeexec.common.queue.LuaScript;
import io.codeexec.common.queue.RedisKeys;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The lock that lets one reaper pass run at a time across all workers: SET NX PX with a value unique
 * to the pass, extended (compare-and-expire) when a pass runs long, released compare-and-delete, so a
 * pass never deletes the lock of the one that took over. A pass that finds its lock gone stops
 * ({@link LostException}) rather than carry on unguarded.
 */
public final class ReaperLock {
    /** The lock's lifetime; a pass extends it once a third of it has gone. */
    public static final long LOCK_MS = 15_000;
    private static final LuaScript UNLOCK = LuaScript.load("reaper_unlock");
    private static final LuaScript RENEW = LuaScript.load("reaper_lock_renew");

    private final UnifiedJedis redis;
    private final String owner;

    public ReaperLock(UnifiedJedis redis, String owner) {
        this.redis = redis;
        this.owner = owner;
    }

    /** Takes the lock for one pass, or empty when another pass holds it. */
    public Optional<Held> tryAcquire() {
        String value = owner + ":" + UUID.randomUUID();
        if (redis.set(RedisKeys.reaperLock(), value, SetParams.setParams().nx().px(LOCK_MS)) == null) {
            return Optional.empty();
        }
        return Optional.of(new Held(value));
    }

    /** The lock as held by one pass. */
    public final class Held implements AutoCloseable {
        private final String value;
        private long extendedAtNanos = System.nanoTime();

        private Held(String value) {
            this.value = value;
        }

        /** Before each write of a pass: extends the lock when a third of it has gone; throws if it was lost. */
        public void keep() {
            if (System.nanoTime() - extendedAtNanos < LOCK_MS * 1_000_000 / 3) {
                return;
            }
            if (!Long.valueOf(1).equals(RENEW.run(redis, List.of(RedisKeys.reaperLock()), List.of(value,
                    Long.toString(LOCK_MS))))) {
                throw new LostException();
            }
            extendedAtNanos = System.nanoTime();
        }

        /** Releases the lock if this pass still holds it; true when it did. */
        @Override
        public void close() {
            UNLOCK.run(redis, List.of(RedisKeys.reaperLock()), List.of(value));
        }

        String value() {
            return value;
        }
    }

    /** The pass outlived its lock (another reaper may be running): it stops where it is. */
    public static final class LostException extends RuntimeException {
        LostException() {
            super("the reaper lock expired during the pass; stopping it");
        }
    }
}
