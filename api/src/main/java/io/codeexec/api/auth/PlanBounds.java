package io.codeexec.api.auth;

import io.codeexec.api.ApiConfig;
import io.codeexec.common.config.LimitPolicy;

/**
 * The server's own limits, which no plan may exceed: a plan can only lower them.
 *
 * @param maxQueued            MAX_QUEUE_LENGTH
 * @param maxTests             MAX_TESTS
 * @param limits               the per-job limit policy (its maxima and minima bound a plan's maxLimits)
 */
public record PlanBounds(long maxQueued, int maxTests, LimitPolicy limits) {
    /** Largest submissionsPerMinute and maxRunning a plan may name (beyond, write 0: no tenant limit). */
    public static final int MAX_RATE = 1_000_000;

    public static PlanBounds of(ApiConfig config) {
        return new PlanBounds(config.maxQueueLength(), config.maxTests(), config.limits());
    }
}
