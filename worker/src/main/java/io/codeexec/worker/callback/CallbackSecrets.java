package io.codeexec.worker.callback;

import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.tenant.Tenant;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * Which secret signs a tenant's callbacks: the tenant hash's {@code callbackSecret}, or the global
 * CALLBACK_SECRET for the anonymous tenant, a job without a tenant, or a tenant without a secret ("" from
 * both: unsigned). Each tenant's answer is kept for {@code cacheFor} (CALLBACK_SECRET_CACHE_MS), so a
 * rotated secret signs every callback delivered once that period has passed, without a Redis read per delivery.
 */
final class CallbackSecrets {
    /** The field of the tenant hash (contracts §1) holding its secret, 64 hex characters. */
    static final String SECRET_FIELD = "callbackSecret";
    /** Tenants remembered at most; past it the cache starts over (a bound, not an eviction policy). */
    private static final int MAX_CACHED = 10_000;

    private record Cached(String secret, long expiresAtNanos) {}

    private final UnifiedJedis redis;
    private final String globalSecret;
    private final long cacheForNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    CallbackSecrets(UnifiedJedis redis, String globalSecret, Duration cacheFor, LongSupplier nanoClock) {
        this.redis = redis;
        this.globalSecret = globalSecret;
        this.cacheForNanos = cacheFor.toNanos();
        this.nanoClock = nanoClock;
    }

    CallbackSecrets(UnifiedJedis redis, String globalSecret, Duration cacheFor) {
        this(redis, globalSecret, cacheFor, System::nanoTime);
    }

    /** The secret for callbacks of {@code tenantId} (null: no tenant recorded); "" means unsigned. */
    String secretFor(String tenantId) {
        if (tenantId == null || tenantId.isEmpty() || Tenant.ANONYMOUS_ID.equals(tenantId)) {
            return globalSecret;
        }
        long now = nanoClock.getAsLong();
        Cached cached = cache.get(tenantId);
        if (cached != null && now - cached.expiresAtNanos() < 0) {
            return cached.secret();
        }
        String stored = redis.hget(RedisKeys.tenant(tenantId), SECRET_FIELD);
        String secret = stored == null || stored.isEmpty() ? globalSecret : stored;
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(tenantId, new Cached(secret, now + cacheForNanos));
        return secret;
    }
}
