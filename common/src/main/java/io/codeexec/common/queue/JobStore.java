package io.codeexec.common.queue;

import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.job.RawOutput;
import io.codeexec.common.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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
                fields.get("result") == null ? null : Json.read(fields.get("result"), JobResult.class),
                timings(fields)));
    }

    /** The exact output bytes of a finished job, when they were kept (output that is not valid UTF-8). */
    public Optional<RawOutput> rawOutput(String id) {
        String json = redis.hget(RedisKeys.job(id), "rawOutput");
        return json == null ? Optional.empty() : Optional.of(Json.read(json, RawOutput.class));
    }

    /**
     * Where the job's time went: apiMs (validation before queueing), queuedMs (until a worker claimed
     * it), the worker's phases (createMs, attachMs, startMs, runMs, collectMs, removeMs, ...) and totalMs.
     */
    private static Map<String, Long> timings(Map<String, String> fields) {
        Map<String, Long> timings = new LinkedHashMap<>();
        if (fields.get("apiMs") != null) {
            timings.put("apiMs", Long.parseLong(fields.get("apiMs")));
        }
        Instant created = instant(fields.get("createdAt"));
        Instant started = instant(fields.get("startedAt"));
        Instant finished = instant(fields.get("finishedAt"));
        if (created != null && started != null) {
            timings.put("queuedMs", Duration.between(created, started).toMillis());
        }
        if (fields.get("timings") != null) {
            Json.MAPPER.convertValue(Json.read(fields.get("timings"), Map.class), LONG_MAP).forEach(timings::put);
        }
        if (created != null && finished != null) {
            timings.put("totalMs", Duration.between(created, finished).toMillis());
        }
        return timings;
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Long>> LONG_MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {};

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }
}
