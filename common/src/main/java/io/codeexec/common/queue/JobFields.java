package io.codeexec.common.queue;

/**
 * The field names of a job hash ({@link RedisKeys#job}), written once. The Lua scripts spell the same
 * names; JobStateTableIT drives every script and reads the hash back through these constants.
 */
public final class JobFields {
    public static final String ID = "id";
    /** A {@link io.codeexec.common.job.JobStatus} wire name. */
    public static final String STATUS = "status";
    public static final String LANGUAGE = "language";
    public static final String CREATED_AT = "createdAt";
    public static final String STARTED_AT = "startedAt";
    public static final String FINISHED_AT = "finishedAt";
    /** The request JSON; dropped when the job finishes. */
    public static final String REQUEST = "request";
    public static final String RESULT = "result";
    public static final String VERDICT = "verdict";
    public static final String RAW_OUTPUT = "rawOutput";
    public static final String TIMINGS = "timings";
    public static final String API_MS = "apiMs";
    public static final String BATCH = "batch";
    /** Kept at submit time by the API when the request has one; scripts fall back to the request JSON. */
    public static final String CALLBACK_URL = "callbackUrl";
    /** The worker holding (or that last held) the lease. */
    public static final String WORKER = "worker";
    /** Fencing token: +1 on every claim, never decremented. */
    public static final String TOKEN = "token";
    /** Claims that really ran: +1 on claim, -1 on release. What GET /jobs/{id} shows. */
    public static final String ATTEMPTS = "attempts";
    /** How often a worker gave the job back because its own infrastructure failed before running it. */
    public static final String RELEASES = "releases";
    /** End of the current lease, ms since the epoch by Redis's clock. */
    public static final String LEASE_UNTIL = "leaseUntil";
    /**
     * The id of the tenant the job (or batch: same field name in its hash) was submitted for, written by the
     * submit scripts; missing on jobs stored before tenants, which belong to the anonymous tenant.
     */
    public static final String TENANT = "tenant";
    /** The token whose result was stored (makes complete idempotent). */
    public static final String COMPLETED_TOKEN = "completedToken";

    private JobFields() {}
}
