package io.codeexec.common.tenant;

/**
 * A tenant passed one of its plan's limits (rate, queued, running cap at submit time, tests per job):
 * the API answers 429 with Retry-After and the RateLimit-* headers.
 *
 * @see Plan
 */
public final class QuotaExceededException extends RuntimeException {
    private final String quota;
    private final long limit;
    private final long retryAfterSeconds;

    /** quota: the plan field that was exceeded, e.g. "maxQueued"; limit: its value. */
    public QuotaExceededException(String quota, long limit, long retryAfterSeconds, String message) {
        super(message);
        this.quota = quota;
        this.limit = limit;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String quota() {
        return quota;
    }

    public long limit() {
        return limit;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
