package io.codeexec.common.queue;

import io.codeexec.common.job.JobRequest;

/** A job a worker has claimed: it sits in that worker's processing list until acknowledged. */
public record ClaimedJob(String id, JobRequest request) {}
