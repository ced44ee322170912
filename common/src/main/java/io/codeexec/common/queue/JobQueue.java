package io.codeexec.common.queue;

import io.codeexec.common.job.JobId;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.RawOutput;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.json.Json;
import java.time.Clock;
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

    /**
     * Waits up to {@code timeoutSeconds} for a queued job and claims it for {@code workerId}. Empty when
     * nothing came, or when what came had been cancelled meanwhile.
     */
    public Optional<ClaimedJob> claim(String workerId, double timeoutSeconds) {
        String processing = RedisKeys.processing(workerId);
        String id = redis.blmove(RedisKeys.pending(), processing, ListDirection.RIGHT, ListDirection.LEFT, timeoutSeconds);
        if (id == null) {
            return Optional.empty();
        }
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

    /**
     * As {@link #complete(String, String, JobResult)}, keeping the exact output bytes when given and
     * the worker's phase timings (milliseconds).
     */
    public boolean complete(String workerId, String id, JobResult result, RawOutput raw, Map<String, Long> timings) {
        String counter = result.verdict() == Verdict.INTERNAL_ERROR ? "failed" : "completed";
        Object stored = COMPLETE.run(redis,
                List.of(RedisKeys.job(id), RedisKeys.processing(workerId), RedisKeys.stats()),
                List.of(id, workerId, now(), Json.write(result), Long.toString(resultTtlSeconds),
                        RedisKeys.doneChannel(), counter, raw == null ? "" : Json.write(raw), Json.write(timings)));
        return Long.valueOf(1).equals(stored);
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
                List.of(RedisKeys.job(id), RedisKeys.pending(), RedisKeys.stats()),
                List.of(id, now(), Long.toString(resultTtlSeconds), RedisKeys.doneChannel(), RedisKeys.cancelChannel()));
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
