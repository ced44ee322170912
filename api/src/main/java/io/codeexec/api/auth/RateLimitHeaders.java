package io.codeexec.api.auth;

import io.codeexec.common.tenant.TokenBucket;
import io.javalin.http.Context;

/**
 * The rate-limit answer headers (IETF draft "RateLimit header fields"): RateLimit-Limit (submissions
 * per minute), RateLimit-Remaining (submissions that would be admitted now), RateLimit-Reset (seconds until
 * the bucket is full again), and on a refusal Retry-After (seconds until this request would be admitted).
 */
public final class RateLimitHeaders {
    public static final String LIMIT = "RateLimit-Limit";
    public static final String REMAINING = "RateLimit-Remaining";
    public static final String RESET = "RateLimit-Reset";

    private RateLimitHeaders() {}

    static void apply(Context ctx, TokenBucket.Decision decision) {
        ctx.header(LIMIT, Long.toString(decision.capacity()));
        ctx.header(REMAINING, Long.toString(decision.remaining()));
        ctx.header(RESET, Long.toString(seconds(decision.resetMs())));
    }

    /** Whole seconds, rounded up: a client that waits this long is never early. */
    static long seconds(long ms) {
        return (Math.max(0, ms) + 999) / 1000;
    }

    /** Retry-After of a refusal: at least 1 s. */
    static int retryAfterSeconds(TokenBucket.Decision decision) {
        return (int) Math.max(1, seconds(decision.retryAfterMs()));
    }
}
