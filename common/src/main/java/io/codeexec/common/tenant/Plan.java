package io.codeexec.common.tenant;

import io.codeexec.common.job.Limits;

/**
 * What one tenant may do: how fast it may submit, how many of its jobs may wait and run at once, how many
 * tests one job may carry, and the per-job limit maxima. A plan only ever lowers the server's maxima
 * ({@code maxLimits} null = the server's own). Stored with the tenant, checked by every API replica
 * against counters kept in Redis, and by the claim scripts for {@code maxRunning}.
 *
 * @param submissionsPerMinute token-bucket rate of accepted submissions (a batch costs one per job)
 * @param maxQueued            jobs of this tenant waiting at once (pending + batch queues + delayed)
 * @param maxRunning           jobs of this tenant running at once (workers skip it while at its cap)
 * @param maxTestsPerJob       tests one job may carry
 * @param maxLimits            per-job limit maxima, or null for the server's
 */
public record Plan(int submissionsPerMinute, int maxQueued, int maxRunning, int maxTestsPerJob, Limits maxLimits) {}
