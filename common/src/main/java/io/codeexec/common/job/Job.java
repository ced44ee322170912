package io.codeexec.common.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * The job document clients read: status, timestamps (ISO-8601 UTC), the result once finished, and
 * where its time went ({@code timings}, milliseconds per phase; absent until known).
 */
public record Job(
        String id,
        JobStatus status,
        String language,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        JobResult result,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> timings) {

    public Job {
        timings = timings == null ? Map.of() : timings;
    }

    public Job(String id, JobStatus status, String language, Instant createdAt, Instant startedAt,
               Instant finishedAt, JobResult result) {
        this(id, status, language, createdAt, startedAt, finishedAt, result, Map.of());
    }
}
