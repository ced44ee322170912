package io.codeexec.common.tenant;

import io.codeexec.common.queue.LuaScript;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.queue.ScriptRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Submission rate limits: one token bucket per subject (a tenant, or an anonymous client address) kept
 * in Redis and drawn from by one script (token_bucket.lua, Redis's clock), so every API replica enforces
 * the same numbers. Capacity = submissions per window; refill is continuous.
 */
public final class TokenBucket {
    /** What the bucket said: whether the request was admitted, and what to tell the client. */
    public record Decision(boolean admitted, long capacity, long remaining, long retryAfterMs, long resetMs) {
        /** The four numbers of lua/lib/bucket.lua's Bucket.reply, from {@code reply[from]} on. */
        public static Decision of(List<?> reply, int from, long capacity) {
            return new Decision((Long) reply.get(from) == 1L, capacity, (Long) reply.get(from + 1),
                    (Long) reply.get(from + 2), (Long) reply.get(from + 3));
        }
    }

    /**
     * A charge to take in the same script as the work it pays for (submit.lua): the bucket's key, its
     * capacity and refill window, and the cost.
     */
    public record Charge(String key, long capacity, long windowMs, long cost) {
        /** The script arguments that carry it, in submit.lua's order: the key, then {@link #bucketArgs()}. */
        public List<String> args() {
            List<String> args = new ArrayList<>(4);
            args.add(key);
            args.addAll(bucketArgs());
            return args;
        }

        /** token_bucket.lua's ARGV: capacity, window in ms, cost. */
        List<String> bucketArgs() {
            return List.of(Long.toString(capacity), Long.toString(windowMs), Long.toString(cost));
        }

        /** The arguments of no charge. */
        public static List<String> none() {
            return List.of("", "0", "0", "0");
        }
    }

    /** The refill window of a plan's submissionsPerMinute. */
    public static final Duration MINUTE = Duration.ofMinutes(1);
    private static final LuaScript SCRIPT = LuaScript.withLibs("token_bucket", "lib/bucket");

    private final ScriptRunner scripts;
    private final Duration window;

    public TokenBucket(UnifiedJedis redis, Duration window) {
        this(ScriptRunner.direct(redis), window);
    }

    /** As above, sending its script through {@code scripts} (the API's pipeline). */
    public TokenBucket(ScriptRunner scripts, Duration window) {
        if (window.toMillis() <= 0) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.scripts = scripts;
        this.window = window;
    }

    /** Takes {@code cost} tokens from the subject's bucket of {@code capacity} if it has them (cost 0: reads it). */
    public Decision take(String subject, long capacity, long cost) {
        return take(charge(subject, capacity, cost));
    }

    /** Takes the charge now, in a script of its own. */
    public Decision take(Charge charge) {
        List<?> reply = (List<?>) scripts.run(SCRIPT, List.of(charge.key()), charge.bucketArgs());
        return Decision.of(reply, 0, charge.capacity());
    }

    /** The same take, to be made by the script that queues the work (JobSubmitter). */
    public Charge charge(String subject, long capacity, long cost) {
        if (capacity <= 0 || cost < 0) {
            throw new IllegalArgumentException("capacity must be > 0 and cost >= 0, got " + capacity + ", " + cost);
        }
        return new Charge(RedisKeys.rateBucket(subject), capacity, window.toMillis(), cost);
    }
}
