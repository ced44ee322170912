package io.codeexec.worker.callback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.common.compat.judge0.Judge0Submission;
import io.codeexec.common.job.Job;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.BatchStore;
import io.codeexec.common.queue.JobFields;
import io.codeexec.common.queue.JobStore;
import io.codeexec.common.queue.Outbox;
import io.codeexec.common.queue.RedisKeys;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * The body of a callback, read from Redis when it is delivered (so a retry sends the document as it is then):
 * a job as GET /jobs/{id} shows it (POST), a batch as GET /batches/{id} does (POST), and a job submitted
 * through the Judge0 API as Judge0 sends it: a PUT of the submission's default fields, base64-encoded. Each
 * comes with the tenant it belongs to (whose secret signs it). Empty when it has expired meanwhile.
 */
final class CallbackDocuments {
    /** A document to send, how (POST or PUT), and its tenant id (null: none recorded). */
    record Document(String body, String method, String tenant) {}

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
            case JOB -> jobs.find(id).map(this::job);
            case BATCH -> batches.find(id).map(batch ->
                    new Document(Json.write(batch), "POST", tenant(RedisKeys.batch(id))));
        };
    }

    private Document job(Job job) {
        String tenant = tenant(RedisKeys.job(job.id()));
        String judge0 = redis.get(RedisKeys.judge0Submission(job.id()));
        if (judge0 == null) {
            return new Document(Json.write(job), "POST", tenant);
        }
        ObjectNode attributes = Json.read(judge0, ObjectNode.class);  // unreadable: the caller drops the callback
        return new Document(Judge0Submission.callbackBody(job, attributes, jobs.rawOutput(job.id())), "PUT", tenant);
    }

    private String tenant(String hashKey) {
        return redis.hget(hashKey, JobFields.TENANT);
    }
}
