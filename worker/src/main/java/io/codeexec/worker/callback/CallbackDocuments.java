package io.codeexec.worker.callback;

import io.codeexec.common.json.Json;
import io.codeexec.common.queue.BatchStore;
import io.codeexec.common.queue.JobStore;
import io.codeexec.common.queue.Outbox;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * The body of a callback, read from Redis when it is delivered (so a retry sends the document as it is then):
 * a job as GET /jobs/{id} shows it, a batch as GET /batches/{id} does. Empty when it has expired meanwhile.
 */
final class CallbackDocuments {
    private final JobStore jobs;
    private final BatchStore batches;

    CallbackDocuments(UnifiedJedis redis) {
        this.jobs = new JobStore(redis);
        this.batches = new BatchStore(redis);
    }

    Optional<String> body(Outbox.Kind kind, String id) {
        return switch (kind) {
            case JOB -> jobs.find(id).map(Json::write);
            case BATCH -> batches.find(id).map(Json::write);
        };
    }
}
