package io.codeexec.api;

import io.codeexec.api.auth.RequestTenant;
import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.api.auth.RequestTenant;
import io.codeexec.api.auth.SubmissionGate;
import io.codeexec.api.auth.TenantAccess;
import io.codeexec.common.job.Batch;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.JobId;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.BatchStore;
import io.codeexec.common.queue.IdempotencyKey;
import io.codeexec.common.queue.JobSubmitter;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The batch resource for graders: POST /batches queues up to MAX_BATCH_JOBS jobs at once (each
 * validated as a job; one invalid job rejects the batch, naming its index; with an Idempotency-Key a
 * retry gets the first batch back), GET /batches/{id} reports
 * progress and verdict counts, optionally waiting until every job is final. HTTP I/O only.
 */
public final class BatchController {
    record Accepted(String id, List<String> jobIds) {}

    /** Most jobs in one batch. */
    public static final int MAX_JOBS = 1000;
    private static final Set<String> FIELDS = Set.of("jobs", "callbackUrl", "metadata");
    private static final int MAX_METADATA_BYTES = 16 * 1024;

    private final SubmissionValidator validator;
    private final JobSubmitter submitter;
    private final BatchStore store;
    private final CompletionWaiter waiter;
    private final int maxBatchJobs;
    private final int maxWaitSeconds;

    public BatchController(SubmissionValidator validator, JobSubmitter submitter, BatchStore store,
                           CompletionWaiter waiter, int maxBatchJobs, int maxWaitSeconds) {
        this.validator = validator;
        this.submitter = submitter;
        this.store = store;
        this.waiter = waiter;
        this.maxBatchJobs = maxBatchJobs;
        this.maxWaitSeconds = maxWaitSeconds;
    }

    public void submit(Context ctx) {
        long received = System.nanoTime();
        Optional<IdempotencyKey> key = IdempotencyHeader.read(ctx);
        JsonNode body = SubmissionValidator.parse(ctx.bodyAsBytes());
        if (!body.isObject()) {
            throw new InvalidSubmissionException("invalid_type", null, "The request body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidSubmissionException("unknown_field", name,
                        "Unknown field '" + name + "'; the fields are jobs, callbackUrl and metadata");
            }
        });
        JsonNode jobs = body.get("jobs");
        if (jobs == null || jobs.isNull()) {
            throw new InvalidSubmissionException("missing_field", "jobs", "jobs is required");
        }
        if (!jobs.isArray()) {
            throw new InvalidSubmissionException("invalid_type", "jobs", "jobs must be an array of jobs");
        }
        if (jobs.isEmpty() || jobs.size() > maxBatchJobs) {
            throw new InvalidSubmissionException("invalid_value", "jobs",
                    "jobs must hold 1 to " + maxBatchJobs + " jobs, got " + jobs.size());
        }
        List<JobRequest> requests = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            try {
                requests.add(validator.validate(jobs.get(i), RequestTenant.of(ctx).plan()));
            } catch (InvalidSubmissionException e) {
                String field = "jobs[" + i + "]" + (e.field() == null ? "" : "." + e.field());
                throw new InvalidSubmissionException(e.code(), field, field + ": " + e.getMessage(), e.status());
            }
        }
        String callbackUrl = SubmissionValidator.callbackUrl(body);
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw new InvalidSubmissionException("invalid_type", "metadata", "metadata must be a JSON object");
        }
        String metadataJson = metadata == null || metadata.isNull() ? "{}" : Json.write(metadata);
        if (metadataJson.length() > MAX_METADATA_BYTES) {
            throw new InvalidSubmissionException("payload_too_large", "metadata",
                    "metadata is larger than " + MAX_METADATA_BYTES + " bytes", 413);
        }
        SubmissionGate.admit(ctx, requests.size());
        JobSubmitter.SubmittedBatch batch = submitter.submitBatch(RequestTenant.of(ctx), requests, metadataJson,
                callbackUrl, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - received), key);
        ctx.header("Location", "/batches/" + batch.id());
        if (batch.replayed()) {
            IdempotencyHeader.markReplayed(ctx);
        }
        ctx.status(202).json(new Accepted(batch.id(), batch.jobIds()));
    }

    public void get(Context ctx) {
        String id = ctx.pathParam("id");
        if (!JobId.isWellFormed(id)) {
            throw gone(id);
        }
        Optional<Duration> wait = JobController.waitParam(ctx, maxWaitSeconds);
        TenantAccess.requireOwner(ctx, store.tenant(id), () -> gone(id));
        if (wait.isEmpty()) {
            ctx.json(store.find(id).orElseThrow(() -> gone(id)));
            return;
        }
        ctx.future(() -> waiter.await("batch:" + id, wait.get(), () -> store.find(id),
                batch -> batch.isEmpty() || batch.get().done()).thenAccept(batch -> {
                    Batch current = batch.orElseThrow(() -> gone(id));
                    ctx.status(current.done() ? 200 : 202).json(current);
                }));
    }

    private static ApiError gone(String id) {
        return ApiError.notFound("No batch " + id + " (it may never have existed, or it has expired)");
    }
}
