package io.codeexec.common.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * The job document clients read: status, how many claims of it really ran ({@code attempts}: more
 * than 1 only when a worker was lost while running it), timestamps (ISO-8601 UTC), the result once
 * finished, and where its time went ({@code timings}, milliseconds per phase; absent until known).
 */
public record Job(
        String id,
        JobStatus status,
        String language,
        int attempts,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        JobResult result,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> timings) {

    public Job {
        timings = timings == null ? Map.of() : timings;
    }

    public Job(String id, JobStatus status, String language, Instant createdAt, Instant startedAt,
               Instant finishedAt, JobResult result, Map<String, Long> timings) {
        this(id, status, language, 0, createdAt, startedAt, finishedAt, result, timings);
    }

    public Job(String id, JobStatus status, String language, Instant createdAt, Instant startedAt,
               Instant finishedAt, JobResult result) {
        this(id, status, language, 0, createdAt, startedAt, finishedAt, result, Map.of());
    }
}
