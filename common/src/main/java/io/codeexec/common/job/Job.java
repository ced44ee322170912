package io.codeexec.common.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.codeexec.common.tenant.Tenant;
import java.time.Instant;
import java.util.Map;

/**
 * The job document clients read: status, how many claims of it really ran ({@code attempts}: more
 * than 1 only when a worker was lost while running it), timestamps (ISO-8601 UTC), the result once
 * finished, where its time went ({@code timings}, milliseconds per phase; absent until known), and the
 * tenant it was submitted for ({@code tenant}: the tenant id, never a key; a job stored before tenants
 * existed belongs to the anonymous tenant).
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
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> timings,
        String tenant) {

    public Job {
        timings = timings == null ? Map.of() : timings;
        tenant = tenant == null ? Tenant.ANONYMOUS_ID : tenant;
    }

    public Job(String id, JobStatus status, String language, int attempts, Instant createdAt, Instant startedAt,
               Instant finishedAt, JobResult result, Map<String, Long> timings) {
        this(id, status, language, attempts, createdAt, startedAt, finishedAt, result, timings, Tenant.ANONYMOUS_ID);
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
