package io.codeexec.worker.callback;

import io.codeexec.common.json.Json;
import io.codeexec.common.queue.BatchStore;
import io.codeexec.common.queue.JobStore;
import io.codeexec.common.queue.Outbox;
import io.codeexec.common.queue.RedisKeys;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * The body of a callback, read from Redis when it is delivered (so a retry sends the document as it is then):
 * a job as GET /jobs/{id} shows it, a batch as GET /batches/{id} does, with the tenant it belongs to (whose
 * secret signs it). Empty when it has expired meanwhile.
 */
final class CallbackDocuments {
    /** The job's or batch's owner, the {@code tenant} field of its hash (contracts §1); null when absent. */
    static final String TENANT_FIELD = "tenant";

    /** A document to send and its tenant id (null: none recorded). */
    record Document(String body, String tenant) {}

    private final UnifiedJedis redis;
    private final JobStore jobs;
    private final BatchStore batches;

    CallbackDocuments(UnifiedJedis redis) {
        this.redis = redis;
        this.jobs = new JobStore(redis);
        this.batches = new BatchStore(redis);
    }

    Optional<Document> find(Outbox.Kind kind, String id) {
        return switch (kind) {
            case JOB -> jobs.find(id).map(job -> new Document(Json.write(job), tenant(RedisKeys.job(id))));
            case BATCH -> batches.find(id).map(batch -> new Document(Json.write(batch), tenant(RedisKeys.batch(id))));
        };
    }

    private String tenant(String hashKey) {
        return redis.hget(hashKey, TENANT_FIELD);
    }
}
