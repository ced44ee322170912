package io.codeexec.common.queue;

import io.codeexec.common.job.JobId;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.json.Json;
import io.codeexec.common.tenant.QuotaExceededException;
import io.codeexec.common.tenant.RateLimitedException;
import io.codeexec.common.tenant.Tenant;
import io.codeexec.common.tenant.TokenBucket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Stores and queues new work for a tenant, each submission one script (submit.lua, submit_batch.lua):
 * 1. quota and backpressure: refused when the tenant would have more than its plan's maxQueued jobs
 *    queued (a batch counts all its jobs, all or nothing), or past the maximum queue length, counting
 *    every queued job of every tenant (single, in a batch, released with a delay);
 * 2. idempotency: with an {@link IdempotencyKey}, the first submission wins and a retry within its TTL
 *    gets the same id back however the first answer was lost; the same key with another request is refused;
 * 3. the job hash keeps the callback URL ('' for none), so the completion scripts need not parse the
 *    request, and the tenant id (job and batch hash: {@code tenant}); the tenant's maxRunning goes with
 *    each submission to where the claim script reads it.
 */
public final class JobSubmitter {
    /**
     * A stored (or, with a key seen before, earlier stored) job, and the rate limit's decision when the
     * submission was charged (empty: no charge, or a replay, which costs nothing).
     */
    public record Submitted(String id, boolean replayed, Optional<TokenBucket.Decision> rate) {
        public Submitted(String id, boolean replayed) {
            this(id, replayed, Optional.empty());
        }
    }

    /** A stored (or earlier stored) batch and its job ids in order. */
    public record SubmittedBatch(String id, List<String> jobIds, boolean replayed) {}

    /** The tenant of AUTH_MODE=off, and of work submitted without one (tests, tools): no plan, no caps. */
    public static final Tenant ANONYMOUS = new Tenant(Tenant.ANONYMOUS_ID, "anonymous", null);
    /**
     * Retry-After of a maxQueued refusal: queued jobs leave at the pace of the workers, and a few seconds
     * is about one short job's turn.
     */
    static final long QUOTA_RETRY_AFTER_SECONDS = 5;

    private static final LuaScript SUBMIT = LuaScript.withQueue("submit", "lib/bucket");
    private static final LuaScript SUBMIT_BATCH = LuaScript.withQueue("submit_batch");

    private final UnifiedJedis redis;
    private final ScriptRunner scripts;
    private final long maxQueueLength;
    private final long resultTtlSeconds;
    private final Clock clock;

    public JobSubmitter(UnifiedJedis redis, long maxQueueLength, long resultTtlSeconds, Clock clock) {
        this(redis, ScriptRunner.direct(redis), maxQueueLength, resultTtlSeconds, clock);
    }

    /** As above, sending its scripts through {@code scripts} (the API's {@link ScriptPipeline}). */
    public JobSubmitter(UnifiedJedis redis, ScriptRunner scripts, long maxQueueLength, long resultTtlSeconds,
                        Clock clock) {
        this.redis = redis;
        this.scripts = scripts;
        this.maxQueueLength = maxQueueLength;
        this.resultTtlSeconds = resultTtlSeconds;
        this.clock = clock;
    }

    /** Stores and queues a job of {@code tenant}; {@code apiMs} is how long the API spent on it before queueing. */
    public Submitted submit(Tenant tenant, JobRequest request, long apiMs, Optional<IdempotencyKey> key) {
        return submit(tenant, request, apiMs, key, Optional.empty());
    }

    /**
     * As above, taking the rate limit's {@code charge} in the same script when the job is queued (one
     * round trip for both); a charge the bucket cannot pay throws {@link RateLimitedException}.
     */
    public Submitted submit(Tenant tenant, JobRequest request, long apiMs, Optional<IdempotencyKey> key,
                            Optional<TokenBucket.Charge> charge) {
        String id = JobId.newId();
        String json = Json.write(request);
        List<String> keys = new ArrayList<>(List.of(RedisKeys.job(id)));
        key.ifPresent(k -> keys.add(k.redisKey()));
        List<String> args = new ArrayList<>(List.of(id, request.language(), now(), json,
                Long.toString(maxQueueLength), Long.toString(apiMs), nullToEmpty(request.callbackUrl()),
                fingerprint(key, "job\n" + json), Long.toString(IdempotencyKey.TTL_SECONDS), tenant.id(),
                Integer.toString(maxQueued(tenant)), Integer.toString(maxRunning(tenant))));
        args.addAll(charge.map(TokenBucket.Charge::args).orElseGet(TokenBucket.Charge::none));
        List<?> reply = (List<?>) scripts.run(SUBMIT, keys, QueueLayout.args(args));
        if ("rate".equals(reply.get(0))) {
            TokenBucket.Charge refused = charge.orElseThrow();
            throw new RateLimitedException(TokenBucket.Decision.of(reply, 1, refused.capacity()), refused.cost());
        }
        String storedId = outcome(reply, tenant);
        Optional<TokenBucket.Decision> rate = reply.size() > 2
                ? Optional.of(TokenBucket.Decision.of(reply, 2, charge.orElseThrow().capacity())) : Optional.empty();
        return new Submitted(storedId, !storedId.equals(id), rate);
    }

    /** Stores a batch of {@code tenant} and queues all its jobs atomically. */
    public SubmittedBatch submitBatch(Tenant tenant, List<JobRequest> requests, String metadataJson, String callbackUrl,
                                      long apiMs, Optional<IdempotencyKey> key) {
        String batchId = JobId.newId();
        List<String> jobIds = new ArrayList<>();
        List<String> keys = new ArrayList<>(List.of(RedisKeys.batch(batchId), RedisKeys.batchJobs(batchId),
                RedisKeys.batchQueue(batchId)));
        key.ifPresent(k -> keys.add(k.redisKey()));
        List<String> jobArgs = new ArrayList<>();
        StringBuilder canonical = new StringBuilder("batch\n").append(metadataJson).append('\n')
                .append(nullToEmpty(callbackUrl)).append('\n');
        for (JobRequest request : requests) {
            String id = JobId.newId();
            String json = Json.write(request);
            jobIds.add(id);
            keys.add(RedisKeys.job(id));
            jobArgs.addAll(List.of(id, request.language(), json, Long.toString(apiMs), nullToEmpty(request.callbackUrl())));
            canonical.append(json).append('\n');
        }
        List<String> args = new ArrayList<>(List.of(batchId, now(), metadataJson, nullToEmpty(callbackUrl),
                Long.toString(maxQueueLength), Long.toString(resultTtlSeconds), fingerprint(key, canonical.toString()),
                Long.toString(IdempotencyKey.TTL_SECONDS), tenant.id(), Integer.toString(maxQueued(tenant)),
                Integer.toString(maxRunning(tenant))));
        args.addAll(jobArgs);
        String storedId = outcome(scripts.run(SUBMIT_BATCH, keys, QueueLayout.args(args)), tenant);
        if (storedId.equals(batchId)) {
            return new SubmittedBatch(batchId, jobIds, false);
        }
        return new SubmittedBatch(storedId, redis.lrange(RedisKeys.batchJobs(storedId), 0, -1), true);
    }

    /** The id a script answered with (new or replayed), or the exception for a refusal. */
    private String outcome(Object answer, Tenant tenant) {
        List<?> reply = (List<?>) answer;
        return switch ((String) reply.get(0)) {
            case "queued", "replayed" -> (String) reply.get(1);
            case "quota" -> throw new QuotaExceededException("maxQueued", maxQueued(tenant), QUOTA_RETRY_AFTER_SECONDS,
                    "Tenant " + tenant.id() + " has " + reply.get(1) + " jobs queued; its plan allows "
                            + maxQueued(tenant) + " at once (a batch counts all its jobs)");
            case "full" -> throw new QueueFullException(maxQueueLength);
            case "reused" -> throw new IdempotencyKeyReusedException();
            default -> throw new IllegalStateException("unexpected answer from a submit script: " + reply);
        };
    }

    /** What "the same request" means for a key: the stored request(s), as written; '' without a key. */
    private static String fingerprint(Optional<IdempotencyKey> key, String canonical) {
        return key.isPresent() ? IdempotencyKey.sha256(canonical) : "";
    }

    /** A plan value of 0 or less, or no plan, means no tenant limit. */
    private static int maxQueued(Tenant tenant) {
        return tenant.plan() == null ? 0 : Math.max(0, tenant.plan().maxQueued());
    }

    private static int maxRunning(Tenant tenant) {
        return tenant.plan() == null ? 0 : Math.max(0, tenant.plan().maxRunning());
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private String now() {
        return clock.instant().toString();
    }
}
