package io.codeexec.worker;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Language;
import io.codeexec.common.queue.ClaimedJob;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.BatchStore;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.JobStore;
import io.codeexec.worker.callback.CallbackDispatcher;
import io.codeexec.worker.sandbox.RunOutcome;
import io.codeexec.worker.sandbox.Sandbox;
import io.codeexec.worker.sandbox.SandboxUnavailableException;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One job slot of a worker: claim → run in the sandbox → store the result and acknowledge, in a loop.
 * 1. Claims block at most two seconds, so a stop request is noticed quickly.
 * 2. A failure of our infrastructure requeues the job until it has had MAX_ATTEMPTS claims; then the
 *    job completes with internal_error naming the cause. A program's own failure is a normal result.
 * 3. Redis outages are waited out with backoff; a claimed job stays in the processing list meanwhile.
 */
final class Processor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Processor.class);
    private static final double CLAIM_BLOCK_SECONDS = 2.0;

    private final WorkerConfig config;
    private final JobQueue queue;
    private final Sandbox sandbox;
    private final WorkerHealth health;
    private final JobStore store;
    private final BatchStore batches;
    private final CallbackDispatcher callbacks;
    private volatile boolean stopping;

    Processor(WorkerConfig config, JobQueue queue, JobStore store, Sandbox sandbox, WorkerHealth health,
              CallbackDispatcher callbacks) {
        this.config = config;
        this.queue = queue;
        this.store = store;
        this.batches = new BatchStore(queue.redis());
        this.sandbox = sandbox;
        this.health = health;
        this.callbacks = callbacks;
    }

    /** Stops claiming; the job in hand, if any, is finished first. */
    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(100, 5_000);
        while (!stopping) {
            Optional<ClaimedJob> claimed;
            try {
                claimed = queue.claim(config.workerId(), CLAIM_BLOCK_SECONDS);
                health.redisUp();
                backoff.reset();
            } catch (JedisException e) {
                health.redisDown(e);
                LOG.warn("cannot claim from Redis ({}); retrying", e.getMessage());
                if (!backoff.sleep()) {
                    return;
                }
                continue;
            }
            claimed.ifPresent(this::processSafely);
        }
    }

    /** A slot must outlive any failure: an unexpected one gives the job back instead of killing the thread. */
    private void processSafely(ClaimedJob job) {
        try {
            process(job);
        } catch (RuntimeException e) {
            LOG.error("job {} failed unexpectedly on worker {}; giving it back to the queue", job.id(), config.workerId(), e);
            retryRedis(() -> queue.requeue(config.workerId(), job.id()));
        }
    }

    private void process(ClaimedJob job) {
        if (job.attempt() > config.maxAttempts()) {
            finish(job, JobResult.internalError("Abandoned: " + (job.attempt() - 1)
                    + " workers were lost while running this job"));
            return;
        }
        Optional<Language> language = config.catalog().find(job.request().language());
        if (language.isEmpty()) {
            finish(job, JobResult.internalError("Language '" + job.request().language() + "' is not installed on worker "
                    + config.workerId()));
            return;
        }
        RunOutcome outcome;
        try {
            outcome = sandbox.runWithOutput(job.id(), language.get(), job.request(), () -> !queue.isCancelled(job.id()));
            health.dockerUp();
        } catch (SandboxUnavailableException e) {
            health.dockerDown(e);
            if (stopping || job.attempt() < config.maxAttempts()) {
                LOG.warn("job {} attempt {} failed on our side ({}); requeueing", job.id(), job.attempt(), e.getMessage());
                retryRedis(() -> queue.requeue(config.workerId(), job.id()));
                return;
            }
            outcome = new RunOutcome(JobResult.internalError("Gave up after " + job.attempt() + " attempts: "
                    + e.getMessage()), null);
        }
        finish(job, outcome);
    }

    private void finish(ClaimedJob job, JobResult result) {
        finish(job, new RunOutcome(result, null));
    }

    private void finish(ClaimedJob job, RunOutcome outcome) {
        JobQueue.Completion[] completion = new JobQueue.Completion[1];
        boolean stored = retryRedis(() -> {
            completion[0] = queue.completeJob(config.workerId(), job.id(), outcome.result(), outcome.raw(),
                    new LinkedHashMap<>(outcome.timings()));
            return completion[0].stored();
        });
        if (stored && completion[0].finishedBatch() != null) {
            sendBatchCallback(completion[0].finishedBatch());
        }
        if (!stored) {
            LOG.info("result of job {} discarded: it was cancelled or recovered meanwhile", job.id());
        } else if (job.request().callbackUrl() != null) {
            try {
                store.find(job.id()).ifPresent(document ->
                        callbacks.deliver(job.id(), job.request().callbackUrl(), Json.write(document)));
            } catch (JedisException e) {
                LOG.warn("callback of job {} not sent: cannot read it back ({})", job.id(), e.getMessage());
            }
        }
    }

    /** The worker that stores a batch's last result sends the batch's callback, if it has one. */
    private void sendBatchCallback(String batchId) {
        try {
            batches.callbackUrl(batchId).ifPresent(url -> batches.find(batchId).ifPresent(batch ->
                    callbacks.deliver("batch " + batchId, url, Json.write(batch))));
        } catch (JedisException e) {
            LOG.warn("callback of batch {} not sent: cannot read it ({})", batchId, e.getMessage());
        }
    }

    /** Runs a Redis write until it succeeds: the job is safe in our processing list meanwhile. */
    private boolean retryRedis(java.util.function.BooleanSupplier write) {
        Backoff backoff = new Backoff(100, 5_000);
        while (true) {
            try {
                boolean done = write.getAsBoolean();
                health.redisUp();
                return done;
            } catch (JedisException e) {
                health.redisDown(e);
                LOG.warn("cannot write to Redis ({}); retrying", e.getMessage());
                if (!backoff.sleep()) {
                    return false;
                }
            }
        }
    }
}
