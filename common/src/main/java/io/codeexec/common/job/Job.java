package io.codeexec.common.job;

import java.time.Instant;

/** The job document clients read: status, timestamps (ISO-8601 UTC) and the result once finished. */
public record Job(
        String id,
        JobStatus status,
        String language,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        JobResult result) {}
