package io.codeexec.api;

import static io.codeexec.api.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.queue.Outbox;
import io.codeexec.common.queue.RedisKeys;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.SetParams;

// GET /stats: queue depth, jobs held by workers, live workers from their heartbeats, and the counters.
class StatsIT extends ApiTestBase {

    private JsonNode stats() {
        HttpResponse<String> response = api.get("/stats");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return json(response);
    }

    private void registerWorker(String id, int concurrency, boolean alive) {
        api.redis.sadd(RedisKeys.workers(), id);
        if (alive) {
            String heartbeat = "{\"id\":\"" + id + "\",\"concurrency\":" + concurrency
                    + ",\"startedAt\":\"2025-01-01T00:00:00Z\",\"lastHeartbeat\":\"2025-01-01T00:00:05Z\","
                    + "\"health\":{\"status\":\"ready\",\"redis\":\"ok\",\"docker\":\"ok\"}}";
            api.redis.set(RedisKeys.heartbeat(id), heartbeat, SetParams.setParams().ex(60));
        }
    }

    @Test
    void emptyStore() {
        JsonNode stats = stats();
        assertEquals(0, stats.get("pending").asLong());
        assertEquals(0, stats.get("running").asLong());
        assertEquals(0, stats.get("workers").size());
        assertTrue(stats.get("workers").isArray());
        assertEquals(0, stats.get("completed").asLong());
        assertEquals(0, stats.get("failed").asLong());
        assertEquals(0, stats.get("cancelled").asLong());
        assertEquals(0, stats.get("callbacks").get("pending").asLong());
        assertEquals(0, stats.get("callbacks").get("retrying").asLong());
        assertEquals(0, stats.get("callbacks").get("dropped").asLong());
    }

    @Test
    void theCallbackBacklogIsShown() {
        Outbox outbox = new Outbox(api.redis);
        outbox.ensureGroup();
        outbox.enqueue(Outbox.Kind.JOB, "j1", "https://example.com/hook");
        outbox.enqueue(Outbox.Kind.BATCH, "b1", "https://example.com/hook");
        Outbox.Entry failed = outbox.read("w1", 1, 100).entries().getFirst();
        outbox.retryLater("w1", failed, 60_000);
        JsonNode callbacks = stats().get("callbacks");
        assertEquals(1, callbacks.get("pending").asLong(), callbacks.toString());
        assertEquals(1, callbacks.get("retrying").asLong(), callbacks.toString());
        assertEquals(0, callbacks.get("dropped").asLong(), callbacks.toString());
    }

    @Test
    void pendingCountsSubmittedJobs() {
        for (int i = 0; i < 3; i++) {
            api.submitPython("print(" + i + ")");
        }
        assertEquals(3, stats().get("pending").asLong());
    }

    @Test
    void aWorkerWithAHeartbeatIsListedWithItsStatus() {
        registerWorker("w-alive", 6, true);
        registerWorker("w-dead", 4, false);
        JsonNode workers = stats().get("workers");
        assertEquals(1, workers.size(), "a registered worker without a heartbeat is not live: " + workers);
        JsonNode worker = workers.get(0);
        assertEquals("w-alive", worker.get("id").asText());
        assertEquals(6, worker.get("concurrency").asInt());
        assertEquals("2025-01-01T00:00:00Z", worker.get("startedAt").asText());
        assertEquals("2025-01-01T00:00:05Z", worker.get("lastHeartbeat").asText());
        assertEquals("ready", worker.get("health").get("status").asText());
    }

    @Test
    void runningCountsTheJobsHeldByRegisteredWorkers() {
        registerWorker(FakeWorker.ID, 2, true);
        api.submitPython("print(1)");
        api.submitPython("print(2)");
        api.submitPython("print(3)");
        api.queue.claim(FakeWorker.ID, 1).orElseThrow();
        api.queue.claim(FakeWorker.ID, 1).orElseThrow();
        JsonNode stats = stats();
        assertEquals(1, stats.get("pending").asLong());
        assertEquals(2, stats.get("running").asLong());
    }

    @Test
    void countersAfterJobsFinish() {
        String ok = api.submitPython("print(1)");
        String failed = api.submitPython("print(2)");
        String cancelled = api.submitPython("print(3)");
        assertEquals(ok, FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("1\n", "")).join().id());
        assertEquals(failed, FakeWorker.completeNext(api.queue, 0, job -> JobResult.internalError("boom")).join().id());
        assertEquals(200, api.delete("/jobs/" + cancelled).statusCode());
        JsonNode stats = stats();
        assertEquals(1, stats.get("completed").asLong());
        assertEquals(1, stats.get("failed").asLong());
        assertEquals(1, stats.get("cancelled").asLong());
        assertEquals(0, stats.get("pending").asLong());
        assertEquals(0, stats.get("running").asLong());
    }

    @Test
    void manyWorkersAreAllListed() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add("w" + i);
            registerWorker("w" + i, i + 1, true);
        }
        JsonNode workers = stats().get("workers");
        assertEquals(20, workers.size());
        List<String> listed = new ArrayList<>();
        workers.forEach(w -> listed.add(w.get("id").asText()));
        assertTrue(listed.containsAll(ids), listed.toString());
    }

    @Test
    void anUnreadableHeartbeatIsSkippedNotAnError() {
        registerWorker("good", 2, true);
        api.redis.sadd(RedisKeys.workers(), "broken");
        api.redis.set(RedisKeys.heartbeat("broken"), "not json");
        JsonNode workers = stats().get("workers");
        assertEquals(1, workers.size(), workers.toString());
        assertEquals("good", workers.get(0).get("id").asText());
    }
}
