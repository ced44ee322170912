package io.codeexec.common.tenant;

/** A submission the rate limit refused, charged in the submit script: the bucket's decision, and the cost. */
public final class RateLimitedException extends RuntimeException {
    private final transient TokenBucket.Decision decision;
    private final long cost;

    public RateLimitedException(TokenBucket.Decision decision, long cost) {
        super("rate limit of " + decision.capacity() + " submissions per minute reached");
        this.decision = decision;
        this.cost = cost;
    }

    public TokenBucket.Decision decision() {
        return decision;
    }

    public long cost() {
        return cost;
    }
}
