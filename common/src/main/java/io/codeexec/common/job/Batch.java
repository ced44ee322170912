package io.codeexec.common.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A batch as clients read it: counts by status, counts by verdict, and one line per job.
 * {@code done} is true once every job reached a final state (completed or cancelled); {@code tenant} is the
 * id of the tenant it was submitted for.
 */
public record Batch(
        String id,
        Instant createdAt,
        int total,
        int queued,
        int running,
        int completed,
        int cancelled,
        boolean done,
        Map<String, Integer> verdicts,
        JsonNode metadata,
        List<Entry> jobs,
        String tenant) {

    /** One job of a batch. {@code verdict} is null until it completed. */
    public record Entry(String id, String status, String verdict) {}
}
