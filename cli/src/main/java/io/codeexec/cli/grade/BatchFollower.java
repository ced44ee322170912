package io.codeexec.cli.grade;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.cli.api.ApiClient;
import io.codeexec.cli.api.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Follows a batch until every job is final: polls GET /batches/{id} (a short long-poll, so it returns at
 * once when the batch completes), fetches each job's document once it is final, and reports the counts
 * to a {@link Progress}. What it collected stays readable after an interruption, for a partial report.
 */
public final class BatchFollower {
    /** Seconds each poll asks the server to wait for the batch to complete: the progress refresh period. */
    static final int POLL_WAIT_SECONDS = 1;
    /** The status the batch document gives a job whose hash is gone (past its result TTL). */
    static final String EXPIRED = "expired";

    private final ApiClient client;
    private final String batchId;
    private final List<String> jobIds = new ArrayList<>();
    private final Map<String, JsonNode> finished = new LinkedHashMap<>();
    private final Map<String, String> statuses = new LinkedHashMap<>();
    private final Set<String> expired = new HashSet<>();
    private Map<String, Integer> verdicts = new TreeMap<>();
    private JsonNode lastBatch;

    public BatchFollower(ApiClient client, String batchId) {
        this.client = client;
        this.batchId = batchId;
    }

    /** Polls until the batch is done and every final job's document is in hand. */
    public void follow(Progress progress) throws InterruptedException {
        while (!poll(progress)) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** One poll; true once the batch is done and every job document fetched. */
    public boolean poll(Progress progress) throws InterruptedException {
        JsonNode batch = client.get("/batches/" + batchId + "?wait=" + POLL_WAIT_SECONDS).body();
        lastBatch = batch;
        if (jobIds.isEmpty()) {
            batch.path("jobs").forEach(job -> jobIds.add(job.path("id").asText()));
        }
        for (JsonNode entry : batch.path("jobs")) {
            String id = entry.path("id").asText();
            String status = entry.path("status").asText();
            statuses.put(id, expired.contains(id) ? EXPIRED : status);
            if (status.equals(EXPIRED)) {
                expired.add(id);
            } else if (!finished.containsKey(id) && !expired.contains(id)
                    && (status.equals("completed") || status.equals("cancelled"))) {
                fetch(id);
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        batch.path("verdicts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        verdicts = counts;
        int settled = finished.size() + expired.size();
        progress.update(settled, jobIds.size(), verdicts);
        return batch.path("done").asBoolean() && settled == jobIds.size();
    }

    private void fetch(String id) throws InterruptedException {
        try {
            finished.put(id, client.get("/jobs/" + id).body());
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            expired.add(id);  // its result outlived RESULT_TTL_SECONDS: nothing left to report but the status
            statuses.put(id, EXPIRED);
        }
    }

    public List<String> jobIds() {
        return jobIds;
    }

    public Map<String, JsonNode> finished() {
        return finished;
    }

    public Map<String, String> statuses() {
        return statuses;
    }

    /** The batch document of the last poll (null before the first). */
    public JsonNode lastBatch() {
        return lastBatch;
    }
}
