package io.codeexec.common.queue;

import io.codeexec.common.job.JobId;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.RawOutput;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.json.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.ListDirection;

/**
 * The reliable queue on Redis lists: every transition of a job is one Lua script (resources/lua), so
 * a job is always in exactly one of the pending list, one worker's processing list, or finished.
 * 1. submit: store + push atomically, refusing past the maximum queue length;
 * 2. claim: BLMOVE pending → processing:worker, then mark it running (owner, attempt);
 * 3. complete / requeue / cancel: state changes that check status and owner first.
 */
public final class JobQueue {
    private static final LuaScript SUBMIT = LuaScript.load("submit");
    private static final LuaScript CLAIM = LuaScript.load("claim");
    private static final LuaScript COMPLETE = LuaScript.load("complete");
    private static final LuaScript CANCEL = LuaScript.load("cancel");
    private static final LuaScript REQUEUE = LuaScript.load("requeue");
    private static final LuaScript SUBMIT_BATCH = LuaScript.load("submit_batch");
    private static final LuaScript CLAIM_BATCH = LuaScript.load("claim_batch");
    /** How long a claim's lease lasts unless renewed (the worker renews every third of it). */
    public static final long LEASE_MS = 30_000;
    /** How long one blocking wait on the pending list lasts before batches are looked at again. */
    private static final double BLOCK_SLICE_SECONDS = 0.5;

    private final UnifiedJedis redis;
    private final long maxQueueLength;
    private final long resultTtlSeconds;
    private final Clock clock;

    public JobQueue(UnifiedJedis redis, long maxQueueLength, long resultTtlSeconds, Clock clock) {
        this.redis = redis;
        this.maxQueueLength = maxQueueLength;
        this.resultTtlSeconds = resultTtlSeconds;
        this.clock = clock;
    }

    /** Stores and queues a job; returns its new id. */
    public String submit(JobRequest request) {
        return submit(request, 0);
    }

    /** As {@link #submit(JobRequest)}, recording how long the API spent on it before queueing. */
    public String submit(JobRequest request, long apiMs) {
        String id = JobId.newId();
        Object queued = SUBMIT.run(redis, List.of(RedisKeys.job(id), RedisKeys.pending()),
                List.of(id, request.language(), now(), Json.write(request), Long.toString(maxQueueLength),
                        Long.toString(apiMs)));
        if (Long.valueOf(0).equals(queued)) {
            throw new QueueFullException(maxQueueLength);
        }
        return id;
    }

    /** Stores a batch and queues all its jobs atomically; returns the batch id and the job ids in order. */
    public BatchSubmission submitBatch(List<JobRequest> requests, String metadataJson, String callbackUrl, long apiMs) {
        String batchId = JobId.newId();
        List<String> jobIds = new ArrayList<>();
        List<String> keys = new ArrayList<>(List.of(RedisKeys.batch(batchId), RedisKeys.batchJobs(batchId),
                RedisKeys.batchQueue(batchId), RedisKeys.activeBatches(), RedisKeys.pending(), RedisKeys.queuedBatchJobs()));
        List<String> args = new ArrayList<>(List.of(batchId, now(), metadataJson, callbackUrl == null ? "" : callbackUrl,
                Long.toString(maxQueueLength), Long.toString(resultTtlSeconds)));
        for (JobRequest request : requests) {
            String id = JobId.newId();
            jobIds.add(id);
            keys.add(RedisKeys.job(id));
            args.addAll(List.of(id, request.language(), Json.write(request), Long.toString(apiMs)));
        }
        if (Long.valueOf(0).equals(SUBMIT_BATCH.run(redis, keys, args))) {
            throw new QueueFullException(maxQueueLength);
        }
        return new BatchSubmission(batchId, jobIds);
    }

    /**
     * Waits up to {@code timeoutSeconds} for a queued job and claims it for {@code workerId}. Single
     * jobs come first (an interactive job never waits behind a grader's batch); then batches take turns,
     * one job each. Empty when nothing came, or when what came had been cancelled meanwhile.
     */
    public Optional<ClaimedJob> claim(String workerId, double timeoutSeconds) {
        String processing = RedisKeys.processing(workerId);
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        while (true) {
            String id = redis.lmove(RedisKeys.pending(), processing, ListDirection.RIGHT, ListDirection.LEFT);
            if (id != null) {
                return claimMoved(workerId, processing, id);
            }
            Object batchJob = CLAIM_BATCH.run(redis, List.of(RedisKeys.activeBatches(), processing, RedisKeys.queuedBatchJobs()),
                    List.of(workerId, now(), RedisKeys.batchQueue(""), RedisKeys.job("")));
            if (batchJob instanceof List<?> fields) {
                return Optional.of(new ClaimedJob((String) fields.get(0), Json.read((String) fields.get(1), JobRequest.class),
                        (Long) fields.get(2)));
            }
            double remaining = (deadline - System.nanoTime()) / 1e9;
            if (remaining <= 0) {
                return Optional.empty();
            }
            id = redis.blmove(RedisKeys.pending(), processing, ListDirection.RIGHT, ListDirection.LEFT,
                    Math.max(0.01, Math.min(BLOCK_SLICE_SECONDS, remaining)));
            if (id != null) {
                return claimMoved(workerId, processing, id);
            }
        }
    }

    private Optional<ClaimedJob> claimMoved(String workerId, String processing, String id) {
        Object claimed = CLAIM.run(redis, List.of(RedisKeys.job(id), processing), List.of(id, workerId, now()));
        if (!(claimed instanceof List<?> fields) || !(fields.get(0) instanceof String json)) {
            return Optional.empty();
        }
        return Optional.of(new ClaimedJob(id, Json.read(json, JobRequest.class), (Long) fields.get(1)));
    }

    /** Stores the result and acknowledges the job; false when it was discarded as late. */
    public boolean complete(String workerId, String id, JobResult result) {
        return complete(workerId, id, result, null, Map.of());
    }

    /** What storing a result did: whether it was stored, and the batch it finished, if any. */
    public record Completion(boolean stored, String finishedBatch) {}

    /**
     * As {@link #complete(String, String, JobResult)}, keeping the exact output bytes when given and
     * the worker's phase timings (milliseconds).
     */
    public boolean complete(String workerId, String id, JobResult result, RawOutput raw, Map<String, Long> timings) {
        return completeJob(workerId, id, result, raw, timings).stored();
    }

    /** As {@link #complete}, also telling whether this job was the last of its batch. */
    public Completion completeJob(String workerId, String id, JobResult result, RawOutput raw, Map<String, Long> timings) {
        String counter = result.verdict() == Verdict.INTERNAL_ERROR ? "failed" : "completed";
        Object stored = COMPLETE.run(redis,
                List.of(RedisKeys.job(id), RedisKeys.processing(workerId), RedisKeys.stats()),
                List.of(id, workerId, now(), Json.write(result), Long.toString(resultTtlSeconds),
                        RedisKeys.doneChannel(), counter, raw == null ? "" : Json.write(raw), Json.write(timings),
                        RedisKeys.batch(""), result.verdict().wireName()));
        if (stored instanceof String batch) {
            return new Completion(true, batch);
        }
        return new Completion(Long.valueOf(1).equals(stored), null);
    }

    /** Puts a claimed job back at the head of the queue (shutdown, lost worker). */
    public boolean requeue(String workerId, String id) {
        Object done = REQUEUE.run(redis,
                List.of(RedisKeys.job(id), RedisKeys.processing(workerId), RedisKeys.pending()),
                List.of(id, workerId));
        return Long.valueOf(1).equals(done);
    }

    public CancelOutcome cancel(String id) {
        Object previous = CANCEL.run(redis,
                List.of(RedisKeys.job(id), RedisKeys.pending(), RedisKeys.stats(), RedisKeys.queuedBatchJobs()),
                List.of(id, now(), Long.toString(resultTtlSeconds), RedisKeys.doneChannel(), RedisKeys.cancelChannel(),
                        RedisKeys.batch(""), RedisKeys.batchQueue("")));
        return switch (String.valueOf(previous)) {
            case "queued" -> CancelOutcome.CANCELLED_WHILE_QUEUED;
            case "running" -> CancelOutcome.CANCELLED_WHILE_RUNNING;
            case "missing" -> CancelOutcome.NOT_FOUND;
            default -> CancelOutcome.ALREADY_FINISHED;
        };
    }

    /** True when the job was cancelled (or has vanished), so nothing should be run for it. */
    public boolean isCancelled(String id) {
        String status = redis.hget(RedisKeys.job(id), "status");
        return status == null || "cancelled".equals(status);
    }

    /** The client this queue talks through, for stores that read beside it. */
    public UnifiedJedis redis() {
        return redis;
    }

    public long pendingCount() {
        return redis.llen(RedisKeys.pending());
    }

    /** The ids a worker holds (claimed, not acknowledged). */
    public List<String> processing(String workerId) {
        return redis.lrange(RedisKeys.processing(workerId), 0, -1);
    }

    private String now() {
        return clock.instant().toString();
    }
}
