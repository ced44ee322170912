package io.codeexec.worker.metrics;

import io.codeexec.common.queue.JobFields;
import io.codeexec.common.queue.RedisKeys;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/** How long a claimed job waited: its createdAt to its startedAt, one HMGET; null when unknown (never fails a job). */
public final class QueuedTime {
    private QueuedTime() {}

    public static Duration of(UnifiedJedis redis, String jobId) {
        try {
            List<String> at = redis.hmget(RedisKeys.job(jobId), JobFields.CREATED_AT, JobFields.STARTED_AT);
            if (at.get(0) == null || at.get(1) == null) {
                return null;
            }
            return Duration.between(Instant.parse(at.get(0)), Instant.parse(at.get(1)));
        } catch (JedisException | DateTimeParseException e) {
            return null;
        }
    }
}
