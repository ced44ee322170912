package io.codeexec.common.queue;

import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.job.RawOutput;
import io.codeexec.common.json.Json;
import io.codeexec.common.tenant.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads job documents from their Redis hashes, taking only the fields asked for: the document
 * ({@link #find}) never carries the request (up to tens of MiB of tests) nor the raw output bytes, which
 * are read only when asked ({@link #rawOutput}); long-poll checks read the status alone.
 */
public final class JobStore {
    /** The fields of the job document, in the order {@link #document} reads them. */
    private static final String[] DOCUMENT = {JobFields.STATUS, JobFields.LANGUAGE, JobFields.CREATED_AT,
            JobFields.STARTED_AT, JobFields.FINISHED_AT, JobFields.RESULT, JobFields.TIMINGS, JobFields.API_MS,
            JobFields.ATTEMPTS, JobFields.TENANT};

    private final UnifiedJedis redis;

    public JobStore(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** The job document as GET /jobs/{id} shows it; empty when there is no such job. */
    public Optional<Job> find(String id) {
        return document(id, redis.hmget(RedisKeys.job(id), DOCUMENT));
    }

    /** The id of the tenant the job belongs to (anonymous for a job stored before tenants); empty when there is no such job. */
    public Optional<String> tenant(String id) {
        List<String> fields = redis.hmget(RedisKeys.job(id), JobFields.STATUS, JobFields.TENANT);
        if (fields.get(0) == null) {
            return Optional.empty();
        }
        return Optional.of(fields.get(1) == null ? Tenant.ANONYMOUS_ID : fields.get(1));
    }

    /** The job's status alone; empty when there is no such job. */
    public Optional<JobStatus> status(String id) {
        String status = redis.hget(RedisKeys.job(id), JobFields.STATUS);
        return status == null ? Optional.empty() : Optional.of(JobStatus.fromWire(status));
    }

    /** Each job's status in one pipelined round trip, in the order of {@code ids}; empty for a missing job. */
    public List<Optional<JobStatus>> statuses(List<String> ids) {
        List<Response<String>> replies = new ArrayList<>(ids.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String id : ids) {
                replies.add(pipeline.hget(RedisKeys.job(id), JobFields.STATUS));
            }
            pipeline.sync();
        }
        List<Optional<JobStatus>> statuses = new ArrayList<>(ids.size());
        for (Response<String> reply : replies) {
            statuses.add(Optional.ofNullable(reply.get()).map(JobStatus::fromWire));
        }
        return statuses;
    }

    /** The exact output bytes of a finished job, when they were kept (output that is not valid UTF-8). */
    public Optional<RawOutput> rawOutput(String id) {
        String json = redis.hget(RedisKeys.job(id), JobFields.RAW_OUTPUT);
        return json == null ? Optional.empty() : Optional.of(Json.read(json, RawOutput.class));
    }

    private static Optional<Job> document(String id, List<String> values) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < DOCUMENT.length; i++) {
            if (values.get(i) != null) {
                fields.put(DOCUMENT[i], values.get(i));
            }
        }
        if (fields.get(JobFields.STATUS) == null) {
            return Optional.empty();
        }
        String attempts = fields.get(JobFields.ATTEMPTS);
        return Optional.of(new Job(
                id,
                JobStatus.fromWire(fields.get(JobFields.STATUS)),
                fields.get(JobFields.LANGUAGE),
                attempts == null ? 0 : Integer.parseInt(attempts),
                instant(fields.get(JobFields.CREATED_AT)),
                instant(fields.get(JobFields.STARTED_AT)),
                instant(fields.get(JobFields.FINISHED_AT)),
                fields.get(JobFields.RESULT) == null ? null : Json.read(fields.get(JobFields.RESULT), JobResult.class),
                timings(fields),
                fields.get(JobFields.TENANT)));
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
