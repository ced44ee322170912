package io.codeexec.common.queue;

import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.job.RawOutput;
import io.codeexec.common.json.Json;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/** Reads job documents from their Redis hashes. */
public final class JobStore {
    private final UnifiedJedis redis;

    public JobStore(UnifiedJedis redis) {
        this.redis = redis;
    }

    public Optional<Job> find(String id) {
        Map<String, String> fields = redis.hgetAll(RedisKeys.job(id));
        if (fields == null || fields.get("status") == null) {
            return Optional.empty();
        }
        return Optional.of(new Job(
                id,
                JobStatus.fromWire(fields.get("status")),
                fields.get("language"),
                instant(fields.get("createdAt")),
                instant(fields.get("startedAt")),
                instant(fields.get("finishedAt")),
                fields.get("result") == null ? null : Json.read(fields.get("result"), JobResult.class)));
    }

    /** The exact output bytes of a finished job, when they were kept (output that is not valid UTF-8). */
    public Optional<RawOutput> rawOutput(String id) {
        String json = redis.hget(RedisKeys.job(id), "rawOutput");
        return json == null ? Optional.empty() : Optional.of(Json.read(json, RawOutput.class));
    }

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }
}
