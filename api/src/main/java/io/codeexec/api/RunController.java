package io.codeexec.api;

import io.codeexec.api.auth.RequestTenant;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.api.auth.RequestTenant;
import io.codeexec.api.auth.SubmissionGate;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.CancelOutcome;
import io.codeexec.common.queue.JobQueue;
import io.javalin.http.Context;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's synchronous POST /run/{language} for existing clients: {code, input} (or {files,
 * entrypoint?, input}, a multi-file program as in POST /jobs) in, the finished
 * run out, errors as {"message": ...}. It queues an ordinary job with default limits and waits for it.
 */
public final class RunController {
    /** Marks a request whose errors ApiServer must answer in the seed's {"message": ...} shape. */
    public static final String LEGACY_ERRORS = "codeexec.legacyErrors";
    static final Duration QUEUE_SLACK = Duration.ofSeconds(30);
    private static final String CODE_REQUIRED = "Code is required";

    private final SubmissionValidator validator;
    private final JobQueue queue;
    private final CompletionWaiter waiter;

    public RunController(SubmissionValidator validator, JobQueue queue, CompletionWaiter waiter) {
        this.validator = validator;
        this.queue = queue;
        this.waiter = waiter;
    }

    public void run(Context ctx) {
        long received = System.nanoTime();
        ctx.attribute(LEGACY_ERRORS, true);
        JobRequest request = validator.validate(submission(ctx.pathParam("language"), ctx.bodyAsBytes()),
                RequestTenant.of(ctx).plan());
        SubmissionGate.admit(ctx, 1);
        String id = queue.submit(RequestTenant.of(ctx), request,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - received));
        Duration wait = Duration.ofMillis(request.limits().wallTimeMs()).plus(QUEUE_SLACK);
        ctx.future(() -> waiter.awaitFinal(id, wait).thenAccept(job -> answer(ctx, id, request, job.orElse(null), wait)));
    }

    /** Rebuilds the seed body as a submission, keeping the seed's "Code is required" for every code problem. */
    private static ObjectNode submission(String language, byte[] body) {
        JsonNode tree;
        try {
            tree = SubmissionValidator.parse(body);
        } catch (InvalidSubmissionException e) {
            throw new ApiError(400, "missing_field", CODE_REQUIRED, "code");
        }
        JsonNode code = tree.get("code");
        JsonNode files = tree.get("files");
        boolean hasFiles = tree.isObject() && files != null && !files.isNull();
        if (!hasFiles && (!tree.isObject() || code == null || !code.isTextual() || code.textValue().isBlank())) {
            throw new ApiError(400, "missing_field", CODE_REQUIRED, "code");
        }
        JsonNode input = tree.get("input");
        if (input != null && !input.isNull() && !input.isTextual()) {
            throw new ApiError(400, "invalid_type", "Input must be a string", "input");
        }
        ObjectNode submission = Json.MAPPER.createObjectNode();
        submission.put("language", language);
        if (hasFiles) {  // a multi-file program: files, entrypoint (and a stray code) checked as by POST /jobs
            submission.set("files", files);
            for (String field : new String[] {"entrypoint", "code"}) {
                if (tree.has(field)) {
                    submission.set(field, tree.get(field));
                }
            }
        } else {
            submission.put("code", code.textValue());
        }
        submission.put("stdin", input == null || input.isNull() ? "" : input.textValue());
        return submission;
    }

    private void answer(Context ctx, String id, JobRequest request, Job job, Duration waited) {
        if (job != null && !job.status().isFinal()) {
            // Nobody will read a synchronous run that outlived its caller: free the queue for others.
            if (queue.cancel(id) == CancelOutcome.ALREADY_FINISHED) {
                answer(ctx, id, request, waiter.awaitFinal(id, Duration.ZERO).join().orElse(null), waited);
                return;
            }
            throw new ApiError(504, "timeout", "The job did not finish within " + waited.toMillis()
                    + "ms (the queue may be busy) and was cancelled", null);
        }
        if (job == null || job.result() == null) {
            String why = job != null && job.status() == JobStatus.CANCELLED ? "was cancelled" : "result is no longer available";
            throw new ApiError(409, "not_completed", "The job " + why, null);
        }
        JobResult result = job.result();
        if (result.verdict() == Verdict.TIME_LIMIT_EXCEEDED) {
            throw new ApiError(408, "time_limit_exceeded", "Timeout of " + request.limits().timeMs() + "ms exceeded", null);
        }
        if (result.verdict() == Verdict.INTERNAL_ERROR) {
            throw new ApiError(500, "internal_error", "The code could not be run: " + result.message(), null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", nullToEmpty(result.stdout()) + nullToEmpty(result.stderr()));
        body.put("stdout", nullToEmpty(result.stdout()));
        body.put("stderr", nullToEmpty(result.stderr()));
        body.put("verdict", result.verdict());
        body.put("exitCode", result.exitCode());
        body.put("id", id);
        ctx.status(200).json(body);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
