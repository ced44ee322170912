package io.codeexec.api.auth;

import io.codeexec.api.ApiError;
import io.codeexec.common.tenant.Plan;
import io.codeexec.common.tenant.RateLimitedException;
import io.codeexec.common.tenant.Tenant;
import io.codeexec.common.tenant.TokenBucket;
import io.javalin.config.Key;
import io.javalin.http.Context;
import java.util.Optional;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The submission rate limit: every route that queues work calls {@link #admit(Context, long)} after
 * validating and before queueing (POST /jobs and /run/* cost 1, POST /batches one per job, the compat
 * routes likewise), or, on the front door POST /jobs, hands {@link #charge(Context, long)} to the submit
 * script, which takes it in the same round trip as it queues the job (and not for a replay or a refusal). The bucket is the tenant's (capacity = plan.submissionsPerMinute), or with
 * AUTH_MODE=off the client address's (ANON_RATE_PER_MINUTE). Past it: 429 rate_limited, Retry-After.
 */
public final class SubmissionGate {
    static final Key<SubmissionGate> KEY = new Key<>("codeexec.submissionGate");

    private final TokenBucket bucket;

    SubmissionGate(TokenBucket bucket) {
        this.bucket = bucket;
    }

    /** Admits a submission of {@code cost} jobs for the request's tenant, or throws 429 rate_limited. */
    public static void admit(Context ctx, long cost) {
        ctx.appData(KEY).take(ctx, cost);
    }

    /** The charge of {@code cost} for the submit script to take, or empty when the caller has no rate limit. */
    public static Optional<TokenBucket.Charge> charge(Context ctx, long cost) {
        return ctx.appData(KEY).chargeFor(ctx, cost);
    }

    /** The RateLimit-* headers of a submission the submit script charged. */
    public static void report(Context ctx, Optional<TokenBucket.Decision> decision) {
        decision.ifPresent(d -> RateLimitHeaders.apply(ctx, d));
    }

    /** The 429 of a charge the submit script refused, with its headers set on {@code ctx}. */
    public static ApiError refused(Context ctx, RateLimitedException e) {
        RateLimitHeaders.apply(ctx, e.decision());
        return refusal(e.decision(), e.cost());
    }

    private Optional<TokenBucket.Charge> chargeFor(Context ctx, long cost) {
        Tenant tenant = RequestTenant.of(ctx);
        Plan plan = tenant.plan();
        if (plan == null || plan.submissionsPerMinute() <= 0) {
            return Optional.empty();
        }
        return Optional.of(bucket.charge(subject(ctx, tenant), plan.submissionsPerMinute(), cost));
    }

    /**
     * After-handler: gives every other answer of a rate-limited caller the RateLimit-* headers too, reading
     * the bucket without taking from it. Skipped when a submission already set them, and on 5xx answers (a
     * Redis outage must not cost a second timeout); best effort if Redis fails here.
     */
    void describe(Context ctx) {
        if (ctx.res().containsHeader(RateLimitHeaders.LIMIT) || ctx.statusCode() >= 500) {
            return;
        }
        try {
            take(ctx, 0);
        } catch (JedisConnectionException e) {
            // No headers this time.
        }
    }

    private void take(Context ctx, long cost) {
        Optional<TokenBucket.Charge> charge = chargeFor(ctx, cost);
        if (charge.isEmpty()) {
            return;
        }
        TokenBucket.Decision decision = bucket.take(charge.get());
        RateLimitHeaders.apply(ctx, decision);
        if (!decision.admitted()) {
            throw refusal(decision, cost);
        }
    }

    private static ApiError refusal(TokenBucket.Decision decision, long cost) {
        return new ApiError(429, "rate_limited", "Rate limit of " + decision.capacity()
                + " submissions per minute reached" + (cost > 1 ? " (this request costs " + cost + ")" : "")
                + "; retry after the Retry-After seconds", null, RateLimitHeaders.retryAfterSeconds(decision));
    }

    /** Whose bucket: the tenant's, or the anonymous caller's own address. */
    static String subject(Context ctx, Tenant tenant) {
        return Tenant.ANONYMOUS_ID.equals(tenant.id()) ? "ip:" + ctx.ip() : "t:" + tenant.id();
    }
}
