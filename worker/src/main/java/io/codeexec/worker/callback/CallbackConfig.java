package io.codeexec.worker.callback;

import io.codeexec.common.config.Env;
import java.time.Duration;

/**
 * How callbacks are delivered from the outbox.
 *
 * @param secret       HMAC-SHA256 key for X-Codeexec-Signature of the anonymous tenant's callbacks (and of a
 *                     tenant without a secret of its own); empty means those deliveries are unsigned
 * @param maxAttempts  deliveries tried before giving up (exponential backoff between them)
 * @param firstRetry   delay before the second attempt; each later one doubles it
 * @param timeout      deadline of one whole delivery: DNS, connect, headers and body
 * @param allowPrivate whether loopback, link-local and private addresses may be called back
 * @param concurrency  deliveries in flight at once on this worker
 * @param secretCache  how long a tenant's callback secret is used before it is read again (rotation delay)
 */
public record CallbackConfig(String secret, int maxAttempts, Duration firstRetry, Duration timeout, boolean allowPrivate,
                             int concurrency, Duration secretCache) {
    public static final int DEFAULT_CONCURRENCY = 8;
    public static final Duration DEFAULT_SECRET_CACHE = Duration.ofSeconds(30);
    private static final Duration MAX_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    public CallbackConfig(String secret, int maxAttempts, Duration firstRetry, Duration timeout, boolean allowPrivate,
                          int concurrency) {
        this(secret, maxAttempts, firstRetry, timeout, allowPrivate, concurrency, DEFAULT_SECRET_CACHE);
    }

    public CallbackConfig(String secret, int maxAttempts, Duration firstRetry, Duration timeout, boolean allowPrivate) {
        this(secret, maxAttempts, firstRetry, timeout, allowPrivate, DEFAULT_CONCURRENCY);
    }

    public static CallbackConfig fromEnv(Env env) {
        return new CallbackConfig(
                env.string("CALLBACK_SECRET", ""),
                env.integer("CALLBACK_MAX_ATTEMPTS", 5, 1, 20),
                Duration.ofMillis(env.integer("CALLBACK_FIRST_RETRY_MS", 1000, 10, 60_000)),
                Duration.ofMillis(env.integer("CALLBACK_TIMEOUT_MS", 10_000, 100, 60_000)),
                env.flag("CALLBACK_ALLOW_PRIVATE", false),
                env.integer("CALLBACK_CONCURRENCY", DEFAULT_CONCURRENCY, 1, 256),
                Duration.ofMillis(env.integer("CALLBACK_SECRET_CACHE_MS", (int) DEFAULT_SECRET_CACHE.toMillis(), 0, 600_000)));
    }

    public static CallbackConfig defaults() {
        return fromEnv(new Env(java.util.Map.of()));
    }

    /**
     * How long an entry may stay with one consumer before another takes it over (its worker died or stalled).
     * A live delivery ends by its deadline, so three deadlines leave room for settling it in Redis.
     */
    public Duration claimIdle() {
        return timeout.multipliedBy(3);
    }

    /**
     * How long a stopping worker lets its deliveries in flight run: half a deadline, at most 5 s. One still
     * running then is cut and left in the outbox, where another worker claims it; stopping is not held up.
     */
    public Duration shutdownGrace() {
        Duration half = timeout.dividedBy(2);
        return half.compareTo(MAX_SHUTDOWN_GRACE) < 0 ? half : MAX_SHUTDOWN_GRACE;
    }

    /** The delay before attempt {@code attempt + 1}: firstRetry, then doubling. */
    public Duration retryDelay(int attempt) {
        return firstRetry.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 16));
    }
}
