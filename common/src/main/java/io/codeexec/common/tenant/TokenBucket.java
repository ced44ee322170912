package io.codeexec.common.tenant;

import io.codeexec.common.queue.LuaScript;
import io.codeexec.common.queue.RedisKeys;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Submission rate limits: one token bucket per subject (a tenant, or an anonymous client address) kept
 * in Redis and drawn from by one script (token_bucket.lua, Redis's clock), so every API replica enforces
 * the same numbers. Capacity = submissions per window; refill is continuous.
 */
public final class TokenBucket {
    /** What the bucket said: whether the request was admitted, and what to tell the client. */
    public record Decision(boolean admitted, long capacity, long remaining, long retryAfterMs, long resetMs) {}

    /** The refill window of a plan's submissionsPerMinute. */
    public static final Duration MINUTE = Duration.ofMinutes(1);
    private static final LuaScript SCRIPT = LuaScript.load("token_bucket");

    private final UnifiedJedis redis;
    private final Duration window;

    public TokenBucket(UnifiedJedis redis, Duration window) {
        if (window.toMillis() <= 0) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.redis = redis;
        this.window = window;
    }

    /** Takes {@code cost} tokens from the subject's bucket of {@code capacity} if it has them (cost 0: reads it). */
    public Decision take(String subject, long capacity, long cost) {
        if (capacity <= 0 || cost < 0) {
            throw new IllegalArgumentException("capacity must be > 0 and cost >= 0, got " + capacity + ", " + cost);
        }
        List<?> reply = (List<?>) SCRIPT.run(redis, List.of(RedisKeys.rateBucket(subject)),
                List.of(Long.toString(capacity), Long.toString(window.toMillis()), Long.toString(cost)));
        return new Decision((Long) reply.get(0) == 1L, capacity, (Long) reply.get(1), (Long) reply.get(2),
                (Long) reply.get(3));
    }
}
