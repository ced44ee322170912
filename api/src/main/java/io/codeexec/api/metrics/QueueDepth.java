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
 * What /stats does not split out, in two round trips: jobs in batch queues, jobs released with a delay,
 * and how long the job next in line (the pending list's claim end, normally its oldest) has waited.
 */
final class QueueDepth {
    /** @param oldestPendingSeconds 0 when nothing is pending */
    record Reading(long batchQueued, long delayed, double oldestPendingSeconds) {}

    private final UnifiedJedis redis;

    QueueDepth(UnifiedJedis redis) {
        this.redis = redis;
    }

    Reading read() {
        Response<String> batchJobs;
        Response<Long> delayed;
        Response<String> next;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            batchJobs = pipeline.get(RedisKeys.queuedBatchJobs());
            delayed = pipeline.zcard(RedisKeys.delayed());
            next = pipeline.lindex(RedisKeys.pending(), -1);  // submit pushes left, claims move from the right
            pipeline.sync();
        }
        double age = 0;
        if (next.get() != null) {
            age = ageSeconds(redis.hget(RedisKeys.job(next.get()), JobFields.CREATED_AT));
        }
        return new Reading(batchJobs.get() == null ? 0 : Long.parseLong(batchJobs.get()), delayed.get(), age);
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
