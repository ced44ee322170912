package io.codeexec.api.metrics;

import io.codeexec.common.queue.JobFields;
import io.codeexec.common.queue.RedisKeys;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * What /stats does not split out, in two round trips: how many tenants have jobs waiting their turn, jobs
 * released with a delay, and how long the oldest single job next in line of any tenant (the first
 * {@link #TENANTS_SAMPLED} of the rotation) has waited.
 */
final class QueueDepth {
    /** Tenants whose next single job is looked at per reading: bounded, so a scrape stays cheap. */
    static final int TENANTS_SAMPLED = 50;

    /** @param oldestPendingSeconds 0 when nothing is pending */
    record Reading(long queuedTenants, long delayed, double oldestPendingSeconds) {}

    private final UnifiedJedis redis;

    QueueDepth(UnifiedJedis redis) {
        this.redis = redis;
    }

    Reading read() {
        Response<Long> tenants;
        Response<Long> delayed;
        Response<java.util.List<String>> rotation;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            tenants = pipeline.llen(RedisKeys.tenants());
            delayed = pipeline.zcard(RedisKeys.delayed());
            rotation = pipeline.lrange(RedisKeys.tenants(), 0, TENANTS_SAMPLED - 1);
            pipeline.sync();
        }
        double age = 0;
        if (!rotation.get().isEmpty()) {
            java.util.List<Response<String>> next = new java.util.ArrayList<>();
            try (AbstractPipeline pipeline = redis.pipelined()) {
                for (String tenant : rotation.get()) {
                    next.add(pipeline.lindex(RedisKeys.pending(tenant), -1));  // pushed left, claimed from the right
                }
                pipeline.sync();
            }
            for (Response<String> id : next) {
                if (id.get() != null) {
                    age = Math.max(age, ageSeconds(redis.hget(RedisKeys.job(id.get()), JobFields.CREATED_AT)));
                }
            }
        }
        return new Reading(tenants.get(), delayed.get(), age);
    }

    private static double ageSeconds(String createdAt) {
        if (createdAt == null) {
            return 0;  // claimed or expired meanwhile
        }
        try {
            return Math.max(0, Duration.between(Instant.parse(createdAt), Instant.now()).toMillis() / 1000.0);
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
