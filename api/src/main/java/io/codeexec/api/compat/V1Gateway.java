package io.codeexec.api.compat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.api.CompletionWaiter;
import io.codeexec.api.SubmissionValidator;
import io.codeexec.api.auth.RequestTenant;
import io.codeexec.api.auth.SubmissionGate;
import io.codeexec.api.auth.TenantAccess;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.RawOutput;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.JobStore;
import io.codeexec.common.queue.JobSubmitter;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one door of the compatibility layers into the v1 model: a translated request body goes through
 * the same {@link SubmissionValidator} and {@link JobSubmitter} as POST /jobs (no second pipeline), and
 * jobs are read, awaited and cancelled through the v1 store, waiter and queue.
 */
public final class V1Gateway {
    private final SubmissionValidator validator;
    private final JobSubmitter submitter;
    private final JobQueue queue;
    private final JobStore store;
    private final CompletionWaiter waiter;
    private final Duration maxWait;

    public V1Gateway(SubmissionValidator validator, JobSubmitter submitter, JobQueue queue, JobStore store,
                     CompletionWaiter waiter, int maxWaitSeconds) {
        this.validator = validator;
        this.submitter = submitter;
        this.queue = queue;
        this.store = store;
        this.waiter = waiter;
        this.maxWait = Duration.ofSeconds(maxWaitSeconds);
    }

    /**
     * A v1 body validated exactly as POST /jobs validates it, under the request's tenant plan
     * (InvalidSubmissionException otherwise).
     */
    public JobRequest validate(Context ctx, ObjectNode v1Body) {
        return validator.validate(v1Body, RequestTenant.of(ctx).plan());
    }

    /**
     * Queues a validated request as POST /jobs does — through the tenant's rate limit first (429 past it);
     * receivedNanos is when the HTTP request arrived.
     */
    public String submit(Context ctx, JobRequest request, long receivedNanos) {
        SubmissionGate.admit(ctx, 1);
        long apiMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - receivedNanos);
        return submitter.submit(RequestTenant.of(ctx), request, apiMs, Optional.empty()).id();
    }

    /** The job, when it exists and belongs to the request's tenant (another tenant's job is not found). */
    public Optional<Job> find(Context ctx, String id) {
        return TenantAccess.owns(ctx, store.tenant(id)) ? store.find(id) : Optional.empty();
    }

    /** A plain job's exact output bytes, kept only when they are not valid UTF-8. */
    public Optional<RawOutput> rawOutput(String id) {
        return store.rawOutput(id);
    }

    /** The job once final, or as it stands after at most MAX_WAIT_SECONDS; empty when it does not exist. */
    public CompletableFuture<Optional<Job>> awaitFinal(String id) {
        return waiter.awaitFinal(id, maxWait);
    }

    public Duration maxWait() {
        return maxWait;
    }

    /** Cancels a job nobody will read any more; true when it was still unfinished. */
    public boolean cancel(String id) {
        return switch (queue.cancel(id)) {
            case CANCELLED_WHILE_QUEUED, CANCELLED_WHILE_RUNNING -> true;
            case ALREADY_FINISHED, NOT_FOUND -> false;
        };
    }
}
