package io.codeexec.common.queue;

import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.RawOutput;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.json.Json;
import io.codeexec.common.tenant.Tenant;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * The reliable, tenant-aware queue on Redis lists: every transition of a job is one Lua script
 * (resources/lua), so a job is always in exactly one of its tenant's queues (or the delayed set), one
 * worker's processing list, or finished.
 * 1. submit (JobSubmitter): store + queue atomically for the job's tenant, refusing past the tenant's
 *    maxQueued or the maximum queue length;
 * 2. claim: claim.lua picks fairly and leases in one step (fencing token, attempt, lease end);
 * 3. renew / complete / requeue / release: accepted only with the lease's current token;
 * 4. requeueLapsed (reaper) and cancel (API): the only transitions made without holding the lease.
 *
 * <p>Fairness. Each tenant has a pending list (its single jobs, and jobs given back) and a list of its
 * batches, each batch its own queue. {@code queue:tenants} lists the tenants with queued work; every
 * claim turns it: tenants take turns, one job each, and within a tenant singles come before its batches,
 * which take turns too. A tenant running its plan's maxRunning jobs is skipped (its count lives in
 * {@code queue:tenant:{id}}, moved by every script that changes a status). So one tenant's 10,000 queued
 * jobs delay another tenant's job by at most one claim per tenant with work.
 *
 * <p>Waking. The pick needs a script, so workers do not block on a queue: they block on
 * {@code queue:wake}, a list holding at most one token, pushed by whatever may make work claimable (a
 * submission, a job given back or due, a capped tenant's slot freed). A worker that claims pushes it again
 * while tenants still have work (the next idle worker looks too); a claim that finds nothing deletes it.
 * No wake-up is lost (the token waits in the list), and a blocked worker still wakes within a slice
 * ({@link #BLOCK_SLICE_SECONDS}) to move due releases.
 */
public final class JobQueue {
    private static final LuaScript CLAIM = LuaScript.withQueue("claim");
    private static final LuaScript COMPLETE = LuaScript.withQueue("complete");
    private static final LuaScript CANCEL = LuaScript.withQueue("cancel");
    private static final LuaScript REQUEUE = LuaScript.withQueue("requeue");
    private static final LuaScript RENEW = LuaScript.load("renew");
    private static final LuaScript RECORD_EXECUTION = LuaScript.load("record_execution");
    private static final LuaScript RELEASE = LuaScript.withQueue("release");
    private static final LuaScript REQUEUE_LAPSED = LuaScript.withQueue("requeue_lapsed");
    private static final LuaScript RETURN_UNCLAIMED = LuaScript.withQueue("return_unclaimed");
    private static final LuaScript MOVE_DUE = LuaScript.withQueue("move_due");
    private static final LuaScript ADOPT_LEGACY = LuaScript.withQueue("adopt_legacy_queue");
    /** How long a claim holds a job without renewal; the holder renews every {@link #RENEW_EVERY_MS}. */
    public static final long LEASE_MS = 30_000;
    /** A third of the lease: two renewals may fail (a Redis blip) before the lease lapses. */
    public static final long RENEW_EVERY_MS = 10_000;
    /** Releases (infrastructure failures before running) after which a job is ended instead. */
    public static final int MAX_RELEASES = 30;
    /** Most delayed ids one claim round moves to the queue. */
    private static final int MOVE_DUE_BATCH = 100;
    /** How long one blocking wait for a wake-up lasts before due releases are looked at again. */
    private static final double BLOCK_SLICE_SECONDS = 0.5;

    private final UnifiedJedis redis;
    private final long resultTtlSeconds;
    private final Clock clock;
    private final JobSubmitter submitter;
    private volatile boolean legacyAdopted;

    public JobQueue(UnifiedJedis redis, long maxQueueLength, long resultTtlSeconds, Clock clock) {
        this.redis = redis;
        this.resultTtlSeconds = resultTtlSeconds;
        this.clock = clock;
        this.submitter = new JobSubmitter(redis, maxQueueLength, resultTtlSeconds, clock);
    }

    /** Stores and queues a job of the anonymous tenant; returns its new id. */
    public String submit(JobRequest request) {
        return submit(JobSubmitter.ANONYMOUS, request, 0);
    }

    /** Stores and queues a job of {@code tenant}, recording how long the API spent on it before queueing. */
    public String submit(Tenant tenant, JobRequest request, long apiMs) {
        return submitter.submit(tenant, request, apiMs, Optional.empty()).id();
    }

    /** Stores a batch of the anonymous tenant and queues all its jobs atomically. */
    public BatchSubmission submitBatch(List<JobRequest> requests, String metadataJson, String callbackUrl, long apiMs) {
        return submitBatch(JobSubmitter.ANONYMOUS, requests, metadataJson, callbackUrl, apiMs);
    }

    /** Stores a batch of {@code tenant} and queues all its jobs atomically; the batch id and job ids in order. */
    public BatchSubmission submitBatch(Tenant tenant, List<JobRequest> requests, String metadataJson, String callbackUrl,
                                       long apiMs) {
        JobSubmitter.SubmittedBatch batch = submitter.submitBatch(tenant, requests, metadataJson, callbackUrl, apiMs,
                Optional.empty());
        return new BatchSubmission(batch.id(), batch.jobIds());
    }

    /**
     * Waits up to {@code timeoutSeconds} for a claimable job and leases it to {@code workerId}. Released
     * jobs that are due move to their tenant's queue first; then claim.lua picks: tenants in turn, a
     * tenant's singles before its batches (see the class comment). Empty when nothing came.
     */
    public Optional<Lease> claim(String workerId, double timeoutSeconds) {
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        adoptLegacyQueue();
        while (true) {
            // A worker that has just moved due releases waits its turn on the wake-up list instead of
            // claiming at once: an idle peer blocked there is served first (the token is already its own),
            // as a peer blocked on the old pending list was. Else the worker that released a job (most
            // often one that cannot run it) would nearly always be the one to take it back.
            if (moveDueDelayed() == 0) {
                Object claimed = CLAIM.run(redis, List.of(RedisKeys.processing(workerId), RedisKeys.leases()),
                        QueueLayout.args(List.of(workerId, now(), Long.toString(LEASE_MS))));
                if (claimed instanceof List<?> fields) {
                    return lease((String) fields.get(0), fields.get(1), (Long) fields.get(2), (Long) fields.get(3),
                            workerId);
                }
                if (Long.valueOf(0).equals(claimed)) {
                    continue;  // it dropped a stale copy: look again at once
                }
            }
            double remaining = (deadline - System.nanoTime()) / 1e9;
            if (remaining <= 0) {
                return Optional.empty();
            }
            redis.blpop(Math.max(0.01, Math.min(BLOCK_SLICE_SECONDS, remaining)), RedisKeys.wake());
        }
    }

    /**
     * The lease of a claimed job. A stored request that cannot be read (Redis is not a trust boundary)
     * ends the job at once as internal_error instead of reaching a worker slot.
     */
    private Optional<Lease> lease(String id, Object requestJson, long token, long attempts, String workerId) {
        try {
            JobRequest request = Json.read((String) requestJson, JobRequest.class);
            if (request == null) {
                throw new IllegalArgumentException("no request stored");
            }
            return Optional.of(new Lease(id, request, token, attempts, workerId));
        } catch (RuntimeException e) {
            complete(new Lease(id, null, token, attempts, workerId), JobResult.internalError(
                    "The stored request of this job cannot be read: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
            return Optional.empty();
        }
    }

    /** Once per process: jobs queued by a version without tenants join the anonymous tenant's queues. */
    private void adoptLegacyQueue() {
        if (!legacyAdopted) {
            ADOPT_LEGACY.run(redis, List.of(RedisKeys.legacyPending(), RedisKeys.legacyActiveBatches(),
                    RedisKeys.legacyQueuedBatchJobs()), QueueLayout.ARGS);
            legacyAdopted = true;
        }
    }

    /** Moves released jobs whose delay is over to the tail of their tenant's pending list; returns how many. */
    public long moveDueDelayed() {
        return (Long) MOVE_DUE.run(redis, List.of(RedisKeys.delayed()),
                QueueLayout.args(List.of(Integer.toString(MOVE_DUE_BATCH))));
    }

    /** Extends the lease by {@link #LEASE_MS}; false when it is lost (job claimed again, cancelled or finished). */
    public boolean renew(Lease lease) {
        return !Long.valueOf(0).equals(RENEW.run(redis, List.of(RedisKeys.job(lease.id()), RedisKeys.leases()),
                List.of(lease.id(), Long.toString(lease.token()), Long.toString(LEASE_MS))));
    }

    /**
     * Records that the lease is about to run (the execution log: tests count executions from it, never
     * from counters the scripts keep). False when the lease is no longer held: then the run must not start.
     * Idempotent, so a retry after a lost reply records nothing twice.
     */
    public boolean recordExecution(Lease lease) {
        return Long.valueOf(1).equals(RECORD_EXECUTION.run(redis,
                List.of(RedisKeys.job(lease.id()), RedisKeys.executions(lease.id())),
                List.of(Long.toString(lease.token()), lease.worker() + ":" + lease.token(),
                        Long.toString(resultTtlSeconds))));
    }

    /** Stores the result and acknowledges the job; false when the lease was no longer held. */
    public boolean complete(Lease lease, JobResult result) {
        return complete(lease, result, null, Map.of());
    }

    /**
     * As {@link #complete(Lease, JobResult)}, keeping the exact output bytes when given and the worker's
     * phase timings (ms). Idempotent: calling it again with the same lease (a lost reply) returns true
     * again and stores, counts and enqueues callbacks only once.
     */
    public boolean complete(Lease lease, JobResult result, RawOutput raw, Map<String, Long> timings) {
        String counter = result.verdict() == Verdict.INTERNAL_ERROR ? "failed" : "completed";
        Object stored = COMPLETE.run(redis,
                List.of(RedisKeys.job(lease.id()), RedisKeys.processing(lease.worker()), RedisKeys.stats(),
                        RedisKeys.leases(), RedisKeys.outbox(), RedisKeys.jobEvents(lease.id())),
                QueueLayout.args(List.of(lease.id(), Long.toString(lease.token()), now(), Json.write(result),
                        Long.toString(resultTtlSeconds), RedisKeys.doneChannel(), counter,
                        raw == null ? "" : Json.write(raw), Json.write(timings), RedisKeys.batch(""),
                        result.verdict().wireName(), RedisKeys.batchJobs(""))));
        return Long.valueOf(1).equals(stored);
    }

    /** The holder gives the job back at the head of its tenant's queue (shutdown); false when the lease was not held. */
    public boolean requeue(Lease lease) {
        return Long.valueOf(1).equals(REQUEUE.run(redis,
                List.of(RedisKeys.job(lease.id()), RedisKeys.processing(lease.worker()), RedisKeys.leases()),
                QueueLayout.args(List.of(lease.id(), Long.toString(lease.token())))));
    }

    /** What {@link #release} did. */
    public enum Release { RELEASED, NOT_HELD, EXHAUSTED }

    /**
     * The holder's infrastructure failed before the job ran: the job goes to the tail of the queue after
     * {@code delayMs}, and the claim stops counting as an attempt. EXHAUSTED (nothing changed) once the job
     * has been released {@link #MAX_RELEASES} times: the caller ends it.
     */
    public Release release(Lease lease, long delayMs) {
        return release(lease, delayMs, MAX_RELEASES);
    }

    /** As {@link #release(Lease, long)} with another cap (a peer serves the language: no cap at all). */
    public Release release(Lease lease, long delayMs, int maxReleases) {
        long outcome = (Long) RELEASE.run(redis,
                List.of(RedisKeys.job(lease.id()), RedisKeys.processing(lease.worker()), RedisKeys.delayed(),
                        RedisKeys.leases()),
                QueueLayout.args(List.of(lease.id(), Long.toString(lease.token()), Long.toString(delayMs),
                        Integer.toString(maxReleases))));
        if (outcome > 0) {
            // A release means the program never started: its execution record goes, as its attempt did.
            redis.lrem(RedisKeys.executions(lease.id()), 0, lease.worker() + ":" + lease.token());
            return Release.RELEASED;
        }
        return outcome < 0 ? Release.EXHAUSTED : Release.NOT_HELD;
    }

    /**
     * For the reaper: gives the job back at the head of its tenant's queue if it still runs under {@code token}
     * and its lease has lapsed by Redis's clock. False otherwise (renewed, finished, claimed again).
     */
    public boolean requeueLapsed(String id, long token) {
        String worker = redis.hget(RedisKeys.job(id), JobFields.WORKER);
        return worker != null && requeueLapsed(redis, id, Long.toString(token), worker);
    }

    /**
     * requeue_lapsed.lua for a job seen lapsed under {@code token} held by {@code worker} (either may be
     * empty when the job no longer runs: then only its stale lease is dropped). True when requeued.
     */
    public static boolean requeueLapsed(UnifiedJedis redis, String id, String token, String worker) {
        return Long.valueOf(1).equals(REQUEUE_LAPSED.run(redis,
                List.of(RedisKeys.job(id), RedisKeys.processing(worker), RedisKeys.leases(), RedisKeys.executions(id)),
                QueueLayout.args(List.of(id, token, worker))));
    }

    /**
     * Puts back an id the worker moved into its processing list but never claimed (shutdown, a lost reply);
     * a stale entry of a finished job is dropped; a running job is left alone. True when put back.
     */
    public boolean returnUnclaimed(String workerId, String id) {
        return returnUnclaimed(redis, workerId, id, false) == 1;
    }

    /**
     * return_unclaimed.lua: 1 when put back at the head of its tenant's queue, 0 when dropped, -1 when left alone
     * (running). With {@code workerIsDead}, a job the dead worker runs without any lease is put back too.
     */
    public static long returnUnclaimed(UnifiedJedis redis, String workerId, String id, boolean workerIsDead) {
        return (Long) RETURN_UNCLAIMED.run(redis,
                List.of(RedisKeys.job(id), RedisKeys.processing(workerId), RedisKeys.leases()),
                QueueLayout.args(List.of(id, workerIsDead ? workerId : "")));
    }

    public CancelOutcome cancel(String id) {
        Object previous = CANCEL.run(redis,
                List.of(RedisKeys.job(id), RedisKeys.stats(), RedisKeys.leases(), RedisKeys.delayed(), RedisKeys.outbox(),
                        RedisKeys.jobEvents(id)),
                QueueLayout.args(List.of(id, now(), Long.toString(resultTtlSeconds), RedisKeys.doneChannel(),
                        RedisKeys.cancelChannel(), RedisKeys.batch(""), RedisKeys.batchJobs(""))));
        return switch (String.valueOf(previous)) {
            case "queued" -> CancelOutcome.CANCELLED_WHILE_QUEUED;
            case "running" -> CancelOutcome.CANCELLED_WHILE_RUNNING;
            case "missing" -> CancelOutcome.NOT_FOUND;
            default -> CancelOutcome.ALREADY_FINISHED;
        };
    }

    /** True when the job was cancelled (or has vanished), so nothing should be run for it. */
    public boolean isCancelled(String id) {
        String status = redis.hget(RedisKeys.job(id), JobFields.STATUS);
        return status == null || io.codeexec.common.job.JobStatus.CANCELLED.wireName().equals(status);
    }

    /** The client this queue talks through, for stores that read beside it. */
    public UnifiedJedis redis() {
        return redis;
    }

    /** Jobs in status queued, every tenant's (delayed ones included): what MAX_QUEUE_LENGTH bounds. */
    public long pendingCount() {
        String queued = redis.get(RedisKeys.queued());
        return queued == null ? 0 : Long.parseLong(queued);
    }

    /** The ids a worker holds (claimed, not acknowledged). */
    public List<String> processing(String workerId) {
        return redis.lrange(RedisKeys.processing(workerId), 0, -1);
    }

    private String now() {
        return clock.instant().toString();
    }
}
