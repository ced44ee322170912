package io.codeexec.common.queue;

import io.codeexec.common.job.JobRequest;

/**
 * A job a worker has claimed: it sits in that worker's processing list until acknowledged.
 * {@code attempt} counts the claims so far, this one included.
 */
public record ClaimedJob(String id, JobRequest request, long attempt) {}
