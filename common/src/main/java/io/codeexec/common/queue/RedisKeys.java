package io.codeexec.common.queue;

import io.codeexec.common.tenant.Tenant;

/** Every Redis key and channel name codeexec uses, in one place. */
public final class RedisKeys {
    private static final String PREFIX = "codeexec:";

    private RedisKeys() {}

    /** Hash: one job's fields (status, request, result, timestamps, worker, attempts). */
    public static String job(String id) {
        return PREFIX + "job:" + id;
    }

    /** The anonymous tenant's pending list (with AUTH_MODE=off: every single job's). */
    public static String pending() {
        return pending(Tenant.ANONYMOUS_ID);
    }

    /**
     * String (EX 24 h): what one client's Idempotency-Key created — "job" or "batch", the id and the
     * fingerprint of the request — so a retry with the same key returns the same id. keyHash is the
     * SHA-256 (hex) of the key, so any header value makes a safe key name.
     */
    public static String idempotency(String client, String keyHash) {
        return PREFIX + "idempotency:" + client + ":" + keyHash;
    }

    /** List of the job ids one worker has claimed and not yet acknowledged. */
    public static String processing(String workerId) {
        return PREFIX + "queue:processing:" + workerId;
    }

    /** Channel: the id of every job that reached a final state. */
    public static String doneChannel() {
        return PREFIX + "events:done";
    }

    /** Channel: the id of every running job that was cancelled, so its worker kills the container. */
    public static String cancelChannel() {
        return PREFIX + "events:cancel";
    }

    /** Hash: language id to the JSON of the installed language, written by workers after probing. */
    public static String languages() {
        return PREFIX + "languages";
    }

    /** Hash: counters (completed, failed, cancelled). */
    public static String stats() {
        return PREFIX + "stats";
    }

    /** Set of the ids of workers that registered and have not deregistered or been reaped. */
    public static String workers() {
        return PREFIX + "workers";
    }

    /** String with a short TTL: a worker's heartbeat and status (JSON); gone means the worker is dead. */
    public static String heartbeat(String workerId) {
        return PREFIX + "worker:" + workerId;
    }

    /** Hash: a batch (total, done, createdAt, metadata, callbackUrl). */
    public static String batch(String id) {
        return PREFIX + "batch:" + id;
    }

    /** List: every job id of a batch, in submission order. */
    public static String batchJobs(String id) {
        return PREFIX + "batch-jobs:" + id;
    }

    /** List: a batch's jobs still waiting to run (workers take from batches in turn). */
    public static String batchQueue(String id) {
        return PREFIX + "queue:batch:" + id;
    }

    /** The anonymous tenant's list of batches with queued jobs. */
    public static String activeBatches() {
        return activeBatches(Tenant.ANONYMOUS_ID);
    }

    /**
     * Sorted set of the leases of running jobs: member = job id, score = leaseUntil (ms by Redis's clock).
     * Claim and renew add or move a member; complete, requeue, release and cancel remove it.
     */
    public static String leases() {
        return PREFIX + "leases";
    }

    /** Lock (SET NX EX) so that one reaper at a time recovers the jobs of dead workers. */
    public static String reaperLock() {
        return PREFIX + "lock:reaper";
    }

    /**
     * Stream: the durable outbox of callbacks to deliver. complete.lua and cancel.lua XADD one entry per
     * callback in the same script that stores the result, so a lost reply or a crash never loses one.
     * Entry fields: kind ("job" or "batch"), id (job or batch id), url (the callback URL), attempt ("1").
     * Any worker delivers from it through the consumer group {@link #OUTBOX_GROUP}.
     */
    public static String outbox() {
        return PREFIX + "outbox";
    }

    /** Consumer group of the outbox stream: every worker is a consumer (its worker id). */
    public static final String OUTBOX_GROUP = "deliverers";

    /** Sorted set: callbacks waiting for a retry (score = due time in ms), moved back to the outbox when due. */
    public static String outboxRetries() {
        return PREFIX + "outbox:retries";
    }

    // --- leases (issue 9)

    /** Sorted set: ids released with a delay (score = due ms, Redis clock), moved to the pending list's tail when due. */
    public static String delayed() {
        return PREFIX + "queue:delayed";
    }

    /** List: one "workerId:token" per execution of the job, pushed right before its run starts (result TTL). */
    public static String executions(String id) {
        return PREFIX + "executions:" + id;
    }

    // --- tenants, API keys and rate limits (issue 11)

    /** Hash: one tenant (name, plan as JSON of Plan, callbackSecret as 64 hex chars, createdAt). */
    public static String tenant(String tenantId) {
        return PREFIX + "tenant:" + tenantId;
    }

    /**
     * Hash: one API key, found by the SHA-256 (hex) of the key itself, which is never stored
     * (keyId, tenant, name, createdAt, lastUsedAt, revoked 0/1).
     */
    public static String apiKey(String keySha256) {
        return PREFIX + "apikey:" + keySha256;
    }

    /** Set of the ids of every API key ever created (revoked ones included). */
    public static String apiKeys() {
        return PREFIX + "apikeys";
    }

    /** String: the SHA-256 of the key with this id, i.e. where {@link #apiKey} keeps it. */
    public static String apiKeyId(String keyId) {
        return PREFIX + "apikey-id:" + keyId;
    }

    /** Hash (tokens, ts): the submission token bucket of one tenant ("t:" + id) or anonymous client ("ip:" + address). */
    public static String rateBucket(String subject) {
        return PREFIX + "ratelimit:" + subject;
    }

    // --- compat (issue 13)

    /** String (JSON, result TTL + 1 day): a Judge0 submission's own attributes (source_code, limits in Judge0 units, ...). */
    public static String judge0Submission(String id) {
        return PREFIX + "judge0:submission:" + id;
    }

    // --- live output (issue 13)

    /**
     * Stream: one job's live events (see {@link io.codeexec.common.events.JobEventStream}): the worker's
     * running status, compile, stdout/stderr chunks and test results, and the final status that
     * complete.lua / cancel.lua add with the final state. Capped in length, expires with the result.
     */
    public static String jobEvents(String id) {
        return PREFIX + "job-events:" + id;
    }

    // --- tenant-aware queue (issue 11): see JobQueue's opening comment for how these fit together

    /** List of the tenants with queued work, rotated on every claim: tenants take turns (round robin). */
    public static String tenants() {
        return PREFIX + "queue:tenants";
    }

    /** List of one tenant's queued single jobs (and jobs given back): pushed on the left, taken from the right. */
    public static String pending(String tenant) {
        return PREFIX + "queue:pending:" + tenant;
    }

    /** List of the ids of one tenant's batches that still have queued jobs, rotated per claim of that tenant. */
    public static String activeBatches(String tenant) {
        return PREFIX + "queue:batches:" + tenant;
    }

    /**
     * Hash: one tenant's counts — queued (jobs in status queued, delayed ones included), running (jobs in
     * status running) — and maxRunning, its plan's cap as of its latest submission (0: none).
     */
    public static String tenantCounts(String tenant) {
        return PREFIX + "queue:tenant:" + tenant;
    }

    /** Counter: every job in status queued, all tenants (backpressure: MAX_QUEUE_LENGTH). */
    public static String queued() {
        return PREFIX + "queue:queued";
    }

    /**
     * List holding at most one wake-up token: pushed when work may have become claimable (a submission, a
     * job given back, a slot of a capped tenant freed); idle workers block on it, and the claim script
     * deletes it when it found nothing to claim.
     */
    public static String wake() {
        return PREFIX + "queue:wake";
    }

    /** The one pending list of the version before tenants: emptied into the anonymous tenant's by the first claim. */
    static String legacyPending() {
        return PREFIX + "queue:pending";
    }

    /** The one list of batches of the version before tenants (emptied as {@link #legacyPending()}). */
    static String legacyActiveBatches() {
        return PREFIX + "queue:batches";
    }

    /** The batch-jobs counter of the version before tenants (deleted: counts now follow status). */
    static String legacyQueuedBatchJobs() {
        return PREFIX + "queue:batch-jobs";
    }
}
