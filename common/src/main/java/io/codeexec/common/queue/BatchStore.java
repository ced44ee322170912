package io.codeexec.common.queue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.Batch;
import io.codeexec.common.json.Json;
import io.codeexec.common.tenant.Tenant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/** Reads batches: the batch hash, its job list, and each job's status and verdict in one pipeline. */
public final class BatchStore {
    private final UnifiedJedis redis;

    public BatchStore(UnifiedJedis redis) {
        this.redis = redis;
    }

    public Optional<Batch> find(String id) {
        Map<String, String> fields = redis.hgetAll(RedisKeys.batch(id));
        if (fields == null || fields.get("total") == null) {
            return Optional.empty();
        }
        List<String> jobIds = redis.lrange(RedisKeys.batchJobs(id), 0, -1);
        List<Response<List<String>>> states = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String jobId : jobIds) {
                states.add(pipeline.hmget(RedisKeys.job(jobId), JobFields.STATUS, JobFields.VERDICT));
            }
            pipeline.sync();
        }
        int queued = 0;
        int running = 0;
        int completed = 0;
        int cancelled = 0;
        Map<String, Integer> verdicts = new TreeMap<>();
        List<Batch.Entry> entries = new ArrayList<>(jobIds.size());
        for (int i = 0; i < jobIds.size(); i++) {
            List<String> state = states.get(i).get();
            String status = state.get(0) == null ? "expired" : state.get(0);
            switch (status) {
                case "queued" -> queued++;
                case "running" -> running++;
                case "completed" -> completed++;
                case "cancelled" -> cancelled++;
                default -> { }
            }
            if (state.get(1) != null) {
                verdicts.merge(state.get(1), 1, Integer::sum);
            }
            entries.add(new Batch.Entry(jobIds.get(i), status, state.get(1)));
        }
        JsonNode metadata = fields.get("metadata") == null ? null : Json.read(fields.get("metadata"), JsonNode.class);
        return Optional.of(new Batch(id, Instant.parse(fields.get("createdAt")), Integer.parseInt(fields.get("total")),
                queued, running, completed, cancelled, queued == 0 && running == 0, verdicts, metadata, entries,
                fields.getOrDefault(JobFields.TENANT, Tenant.ANONYMOUS_ID)));
    }

    /** The id of the tenant the batch belongs to; empty when the batch or the field is missing (anonymous). */
    public Optional<String> tenant(String id) {
        return Optional.ofNullable(redis.hget(RedisKeys.batch(id), JobFields.TENANT));
    }

    /** The callback URL given with the batch, if any. */
    public Optional<String> callbackUrl(String id) {
        String url = redis.hget(RedisKeys.batch(id), "callbackUrl");
        return url == null || url.isEmpty() ? Optional.empty() : Optional.of(url);
    }
}
