package io.codeexec.common.queue;

import io.codeexec.common.job.JobRequest;

/**
 * A claimed job: the holder may write to it only while {@code token} is the job's current token.
 * {@code attempts} counts the claims that really ran, this one included; {@code worker} holds the id in
 * its processing list.
 */
public record Lease(String id, JobRequest request, long token, long attempts, String worker) {}
