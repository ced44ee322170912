package io.codeexec.api;

import io.codeexec.api.auth.RequestTenant;
import io.codeexec.api.auth.SubmissionGate;
import io.codeexec.api.auth.TenantAccess;
import io.codeexec.api.metrics.ApiMetrics;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobId;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.queue.IdempotencyKey;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.JobStore;
import io.codeexec.common.queue.JobSubmitter;
import io.javalin.http.Context;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.Optional;

/**
 * The job resource: POST /jobs queues a submission (optionally waiting for it; with an Idempotency-Key
 * a retry gets the first job back), GET /jobs/{id} reads it (optionally long-polling until it is
 * final), DELETE /jobs/{id} cancels it. HTTP I/O only.
 */
public final class JobController {
    /** The 202 answer to a submission: where the job is and how it stands. */
    record Accepted(String id, String status) {}

    /** The status a replayed submission reports when its job's result has already expired. */
    private static final String EXPIRED = "expired";

    private final SubmissionValidator validator;
    private final JobSubmitter submitter;
    private final JobQueue queue;
    private final JobStore store;
    private final CompletionWaiter waiter;
    private final int maxWaitSeconds;
    private final OutputEncoding encoding;

    public JobController(SubmissionValidator validator, JobSubmitter submitter, JobQueue queue, JobStore store,
                         CompletionWaiter waiter, int maxWaitSeconds) {
        this.validator = validator;
        this.submitter = submitter;
        this.queue = queue;
        this.store = store;
        this.waiter = waiter;
        this.maxWaitSeconds = maxWaitSeconds;
        this.encoding = new OutputEncoding(store);
    }

    public void submit(Context ctx) {
        long received = System.nanoTime();
        Optional<Duration> wait = waitParam(ctx);  // checked first: a bad parameter must not queue a job
        Optional<IdempotencyKey> key = IdempotencyHeader.read(ctx);
        JobRequest request = validator.validate(ctx.bodyAsBytes(), RequestTenant.of(ctx).plan());
        JobSubmitter.Submitted submitted = submitter.submit(RequestTenant.of(ctx), request,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - received), key, SubmissionGate.charge(ctx, 1));
        SubmissionGate.report(ctx, submitted.rate());
        String id = submitted.id();
        if (!submitted.replayed()) {
            ApiMetrics.submitted(ctx, request.language());
        }
        ctx.header("Location", "/jobs/" + id);
        if (submitted.replayed()) {
            IdempotencyHeader.markReplayed(ctx);
        }
        if (wait.isEmpty()) {
            String status = !submitted.replayed() ? JobStatus.QUEUED.wireName()
                    : store.status(id).map(JobStatus::wireName).orElse(EXPIRED);
            ctx.status(202).json(new Accepted(id, status));
            return;
        }
        ctx.future(() -> waiter.awaitFinal(id, wait.get()).thenAccept(job -> {
            Job current = job.orElseThrow(() -> gone(id));
            if (current.status().isFinal()) {
                ctx.status(200).json(current);
            } else {
                ctx.status(202).json(new Accepted(id, current.status().wireName()));
            }
        }));
    }

    public void get(Context ctx) {
        String id = wellFormedId(ctx);
        Optional<Duration> wait = waitParam(ctx);
        boolean base64 = OutputEncoding.wantsBase64(ctx);
        TenantAccess.requireOwner(ctx, store.tenant(id), () -> gone(id));
        if (wait.isEmpty()) {
            ctx.json(render(store.find(id).orElseThrow(() -> gone(id)), base64));
            return;
        }
        ctx.future(() -> waiter.awaitFinal(id, wait.get()).thenAccept(job -> {
            Job current = job.orElseThrow(() -> gone(id));
            ctx.status(current.status().isFinal() ? 200 : 202).json(render(current, base64));
        }));
    }

    private Object render(Job job, boolean base64) {
        return base64 ? encoding.base64(job) : job;
    }

    public void cancel(Context ctx) {
        String id = wellFormedId(ctx);
        TenantAccess.requireOwner(ctx, store.tenant(id), () -> gone(id));
        switch (queue.cancel(id)) {
            case CANCELLED_WHILE_QUEUED, CANCELLED_WHILE_RUNNING -> ctx.json(store.find(id).orElseThrow(() -> gone(id)));
            case ALREADY_FINISHED -> throw new ApiError(409, "already_finished",
                    "Job " + id + " has already finished and cannot be cancelled", null);
            case NOT_FOUND -> throw gone(id);
        }
    }

    private static String wellFormedId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!JobId.isWellFormed(id)) {
            throw gone(id);
        }
        return id;
    }

    private static ApiError gone(String id) {
        return ApiError.notFound("No job " + id + " (it may never have existed, or its result has expired)");
    }

    /** ?wait=S: empty when absent; else 0 < S ≤ MAX_WAIT_SECONDS (fractions allowed). */
    private Optional<Duration> waitParam(Context ctx) {
        return waitParam(ctx, maxWaitSeconds);
    }

    /** ?wait=S: empty when absent; else 0 < S ≤ maxWaitSeconds (fractions allowed), or a 400. */
    static Optional<Duration> waitParam(Context ctx, int maxWaitSeconds) {
        String raw = ctx.queryParam("wait");
        if (raw == null) {
            return Optional.empty();
        }
        double seconds;
        try {
            seconds = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds > 0 && seconds <= maxWaitSeconds)) {
            throw new ApiError(400, "invalid_value",
                    "wait must be a number of seconds above 0 and at most " + maxWaitSeconds + ", got '" + raw + "'", "wait");
        }
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }
}
