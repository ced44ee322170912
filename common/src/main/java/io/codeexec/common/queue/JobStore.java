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
        if (fields == null || fields.get(JobFields.STATUS) == null) {
            return Optional.empty();
        }
        return Optional.of(new Job(
                id,
                JobStatus.fromWire(fields.get(JobFields.STATUS)),
                fields.get(JobFields.LANGUAGE),
                instant(fields.get(JobFields.CREATED_AT)),
                instant(fields.get(JobFields.STARTED_AT)),
                instant(fields.get(JobFields.FINISHED_AT)),
                fields.get(JobFields.RESULT) == null ? null : Json.read(fields.get(JobFields.RESULT), JobResult.class),
                timings(fields)));
    }

    /** The exact output bytes of a finished job, when they were kept (output that is not valid UTF-8). */
    public Optional<RawOutput> rawOutput(String id) {
        String json = redis.hget(RedisKeys.job(id), JobFields.RAW_OUTPUT);
        return json == null ? Optional.empty() : Optional.of(Json.read(json, RawOutput.class));
    }

    /**
     * Where the job's time went: apiMs (validation before queueing), queuedMs (until a worker claimed
     * it), the worker's phases (createMs, attachMs, startMs, runMs, collectMs, removeMs, ...) and totalMs.
     */
    private static Map<String, Long> timings(Map<String, String> fields) {
        Map<String, Long> timings = new LinkedHashMap<>();
        if (fields.get(JobFields.API_MS) != null) {
            timings.put("apiMs", Long.parseLong(fields.get(JobFields.API_MS)));
        }
        Instant created = instant(fields.get(JobFields.CREATED_AT));
        Instant started = instant(fields.get(JobFields.STARTED_AT));
        Instant finished = instant(fields.get(JobFields.FINISHED_AT));
        if (created != null && started != null) {
            timings.put("queuedMs", Duration.between(created, started).toMillis());
        }
        if (fields.get(JobFields.TIMINGS) != null) {
            Json.MAPPER.convertValue(Json.read(fields.get(JobFields.TIMINGS), Map.class), LONG_MAP).forEach(timings::put);
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
