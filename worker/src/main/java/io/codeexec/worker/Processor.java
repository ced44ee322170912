package io.codeexec.worker;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.Limits;
import io.codeexec.common.logging.LogContext;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.Lease;
import io.codeexec.worker.metrics.QueuedTime;
import io.codeexec.worker.metrics.WorkerMetrics;
import io.codeexec.worker.sandbox.RunOutcome;
import io.codeexec.worker.sandbox.Sandbox;
import io.codeexec.worker.sandbox.SandboxUnavailableException;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One job slot of a worker: claim a lease → record the execution → run with the lease renewed → complete
 * with the lease's token, in a loop.
 * 1. Any Throwable while serving a job ends that job with internal_error naming it; the slot serves on.
 * 2. A broken worker steps aside: an infrastructure failure before the program ran releases the job
 *    (to the tail, after a delay, not counted as an attempt) so another worker takes it, and this worker
 *    stops claiming (engine down) or skips the language (image missing) until a probe succeeds.
 * 3. Claims block at most two seconds, so a stop request is noticed quickly; Redis outages are waited
 *    out with backoff, the lease and the processing list keep the job meanwhile.
 */
final class Processor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Processor.class);
    private static final double CLAIM_BLOCK_SECONDS = 2.0;
    /** How long a released job waits before it can be claimed again (by another worker, most likely). */
    static final long RELEASE_DELAY_MS = 2_000;
    private static final long STEPPED_ASIDE_PAUSE_MS = 1_000;

    private final WorkerConfig config;
    private final JobQueue queue;
    private final Sandbox sandbox;
    private final WorkerHealth health;
    private final LeaseKeeper leases;
    private final Limits maxima;
    private final LiveWorkers peers;
    private final WorkerMetrics metrics;
    private volatile boolean stopping;

    Processor(WorkerConfig config, JobQueue queue, Sandbox sandbox, WorkerHealth health, LeaseKeeper leases,
              Limits maxima) {
        this(config, queue, sandbox, health, leases, maxima, WorkerMetrics.standalone());
    }

    Processor(WorkerConfig config, JobQueue queue, Sandbox sandbox, WorkerHealth health, LeaseKeeper leases,
              Limits maxima, WorkerMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.queue = queue;
        this.sandbox = sandbox;
        this.health = health;
        this.leases = leases;
        this.maxima = maxima;
        this.peers = new LiveWorkers(queue.redis(), config.workerId());
    }

    /** Stops claiming; the job in hand, if any, is finished first. */
    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        LogContext.workerOfThisThread(config.workerId());
        Backoff backoff = new Backoff(100, 5_000);
        while (!stopping) {
            try {
                if (!claimAndServe()) {
                    pause(STEPPED_ASIDE_PAUSE_MS);
                }
                backoff.reset();
            } catch (JedisException e) {
                health.redisDown(e);
                LOG.warn("cannot claim from Redis ({}); retrying", e.getMessage());
                if (!backoff.sleep()) {
                    return;
                }
            } catch (Throwable e) {  // never let the slot die: log, back off, serve on
                LOG.error("slot failed outside any job; serving on", e);
                if (!backoff.sleep()) {
                    return;
                }
            }
        }
    }

    /** One round: probe what is set aside, then claim and serve one job. False when stepped aside. */
    private boolean claimAndServe() {
        reprobe();
        if (!health.engineUsable()) {
            return false;
        }
        Optional<Lease> claimed = queue.claim(config.workerId(), CLAIM_BLOCK_SECONDS);
        health.redisUp();
        claimed.ifPresent(this::serve);
        return true;
    }

    /** A slot must outlive any failure: an unexpected one ends the job as ours, naming the cause. */
    private void serve(Lease lease) {
        try (var job = LogContext.job(lease.id())) {
            serveInContext(lease);
        }
    }

    private void serveInContext(Lease lease) {
        try {
            process(lease);
        } catch (Throwable e) {  // an Error too: the slot keeps serving, the job gets an answer
            LOG.error("failed unexpectedly", e);
            try {
                finish(lease, new RunOutcome(JobResult.internalError("Internal error on worker " + config.workerId()
                        + ": " + e.getClass().getName() + ": " + e.getMessage()), null));
            } catch (Throwable again) {
                LOG.error("cannot end the job; its lease will lapse and the reaper gives it back", again);
            }
        }
    }

    private void process(Lease lease) {
        if (lease.attempts() > config.maxAttempts()) {
            finish(lease, JobResult.internalError("Abandoned: " + (lease.attempts() - 1)
                    + " workers were lost while running this job"));
            return;
        }
        String languageId = lease.request().language();
        Optional<Language> language = config.catalog().find(languageId);
        if (language.isEmpty()) {
            finish(lease, JobResult.internalError("Language '" + languageId + "' is not installed on worker "
                    + config.workerId()));
            return;
        }
        Optional<String> overLimit = LimitCheck.exceeded(lease.request().limits(), maxima);
        if (overLimit.isPresent()) {
            finish(lease, JobResult.internalError("Refused by worker " + config.workerId() + ": " + overLimit.get()));
            return;
        }
        if (!health.serves(languageId)) {
            stepAside(lease, "the runner image " + language.get().image() + " of " + languageId + " is missing on worker "
                    + config.workerId());
            return;
        }
        if (!retryRedis(() -> queue.recordExecution(lease))) {
            LOG.warn("not run: its lease (token {}) was lost before the run started", lease.token());
            return;
        }
        metrics.jobStarted(languageId, QueuedTime.of(queue.redis(), lease.id()));
        RunOutcome outcome;
        AtomicBoolean lost = new AtomicBoolean();
        leases.hold(lease, () -> {
            lost.set(true);
            sandbox.cancel(lease.id());
        });
        try {
            BooleanSupplier stillWanted = () -> stillWanted(lease);
            outcome = sandbox.runWithOutput(lease.id(), language.get(), lease.request(), stillWanted);
            health.dockerUp();
        } catch (SandboxUnavailableException e) {
            // Stop renewing before the job leaves our hands: a renewal refused after we gave it back would
            // "lose" the lease and kill whatever run of this job starts next here (another slot may claim it).
            leases.release(lease);
            if (lost.get()) {
                LOG.warn("killed: its lease was lost ({})", e.getMessage());
                return;  // nothing to give back: whoever holds the job now owns it
            }
            if (stopping) {
                LOG.warn("killed by the shutdown; giving it back");
                retryRedis(() -> queue.requeue(lease));
                return;
            }
            if (e.imageMissing()) {
                health.languageMissing(languageId, e);
            } else {
                health.dockerDown(e);
            }
            stepAside(lease, e.getMessage());
            return;
        } finally {
            leases.release(lease);
        }
        finish(lease, outcome);
    }

    /**
     * Whether the job is still wanted (not cancelled) as the run starts. Redis not answering is not a
     * cancel: the run goes on (a cancel published meanwhile still kills it through the CancelListener, and
     * the lease decides whether its result is kept).
     */
    private boolean stillWanted(Lease lease) {
        try {
            return !queue.isCancelled(lease.id());
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            LOG.warn("Redis did not answer whether the job was cancelled ({}); running it", e.getMessage());
            return true;
        }
    }

    /**
     * Our infrastructure cannot run the job: release it for another worker. It ends (internal_error) only
     * after MAX_RELEASES releases while no live peer serves its language. Then this slot waits out the
     * release delay before it claims again, so a broken worker never churns through the queue.
     */
    private void stepAside(Lease lease, String cause) {
        JobQueue.Release[] released = new JobQueue.Release[1];
        retryRedis(() -> {
            int cap = peers.anotherServes(lease.request().language()) ? Integer.MAX_VALUE : JobQueue.MAX_RELEASES;
            released[0] = queue.release(lease, RELEASE_DELAY_MS, cap);
            return true;
        });
        switch (released[0]) {
            case RELEASED -> {
                LOG.warn("released for another worker: {}", cause);
                pause(RELEASE_DELAY_MS);
            }
            case NOT_HELD -> LOG.info("no longer held by this worker; nothing to release");
            case EXHAUSTED -> finish(lease, JobResult.internalError("no worker could run it: " + cause));
            case null -> { }  // Redis unreachable until shutdown: the lease lapses and the reaper gives it back
        }
    }

    /** Probes what this worker set aside, when due; one slot probes, the others keep going. */
    private void reprobe() {
        if (health.engineProbeDue()) {
            Language probe = config.catalog().all().stream().filter(l -> health.serves(l.id())).findFirst()
                    .orElse(config.catalog().all().getFirst());
            probe(probe, () -> {
                health.dockerUp();
                LOG.info("Docker engine answers again: claiming jobs");
            });
        }
        for (String languageId : health.languageProbesDue()) {
            config.catalog().find(languageId).ifPresent(language -> probe(language, () -> {
                health.languageBack(languageId);
                LOG.info("runner image of {} is back: serving it again", languageId);
            }));
        }
    }

    private void probe(Language language, Runnable onSuccess) {
        try {
            sandbox.probeVersion(language);
            onSuccess.run();
        } catch (SandboxUnavailableException e) {
            if (e.imageMissing()) {
                health.dockerUp();  // the engine answered: only this image is missing
                health.languageMissing(language.id(), e);
            }
            LOG.debug("still stepping aside: {}", e.getMessage());  // WorkerHealth says so once per change
        }
    }

    private void finish(Lease lease, JobResult result) {
        finish(lease, new RunOutcome(result, null));
    }

    /** Completes with the lease's token; safe to retry, as complete is idempotent. */
    private void finish(Lease lease, RunOutcome outcome) {
        long storing = System.nanoTime();
        boolean stored = retryRedis(() -> queue.complete(lease, outcome.result(), outcome.raw(),
                new LinkedHashMap<>(outcome.timings())));
        metrics.jobFinished(lease.request().language(), outcome.result().verdict().wireName(), outcome.timings(),
                System.nanoTime() - storing);
        if (!stored) {
            LOG.info("result (token {}) refused: the job was cancelled or recovered meanwhile", lease.token());
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a Redis write until it succeeds: the job is safe in our processing list meanwhile. */
    private boolean retryRedis(BooleanSupplier write) {
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
