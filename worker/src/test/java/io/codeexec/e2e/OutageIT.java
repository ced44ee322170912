package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.worker.Launcher;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis and Docker outages: clear errors meanwhile, nothing lost, everything resumes by itself. */
class OutageIT {
    private Stack stack;

    @BeforeEach
    void start() {
        stack = Stack.start(0, 2);
        stack.publishLanguages();
    }

    private boolean paused;

    @AfterEach
    void stop() {
        try {
            if (paused) {
                RedisTestServer.unpause();
            }
        } finally {
            stack.close();
        }
    }

    private JsonNode awaitResult(String id) throws InterruptedException {
        List<Job> jobs = Jobs.awaitAllFinal(stack, List.of(id), 120_000);
        return Stack.json(stack.get("/jobs/" + jobs.get(0).id()));
    }

    @Test
    void redisPausedForTenSecondsLosesNoAcceptedJob() throws Exception {
        stack.addWorker("outage-" + System.nanoTime(), 2);
        List<String> accepted = new ArrayList<>(Jobs.submitNumbered(stack, 5, 0.1));
        RedisTestServer.pause();
        paused = true;
        long pausedAt = System.nanoTime();
        int unavailable = 0;
        while (System.nanoTime() - pausedAt < 10_000_000_000L) {
            long before = System.nanoTime();
            HttpResponse<String> response = stack.post("/jobs", Map.of("language", "python", "code", "print(1)"));
            assertTrue(System.nanoTime() - before < 8_000_000_000L, "the API answered without hanging");
            if (response.statusCode() == 503) {
                unavailable++;
                assertTrue(response.headers().firstValue("Retry-After").isPresent());
                assertEquals("redis_unavailable", Stack.json(response).get("error").get("code").asText(), response.body());
            } else {
                assertEquals(202, response.statusCode(), response.body());
            }
            assertEquals(503, stack.get("/ready").statusCode());
        }
        RedisTestServer.unpause();
        paused = false;
        assertTrue(unavailable > 0, "submissions during the outage were refused with 503");
        List<String> after = Jobs.submitNumbered(stack, 5, 0.1);
        List<Job> before = Jobs.awaitAllFinal(stack, accepted, 120_000);
        Jobs.assertNumberedOutput(before);
        Jobs.assertNumberedOutput(Jobs.awaitAllFinal(stack, after, 120_000));
        assertEquals(200, stack.get("/ready").statusCode());
    }

    @Test
    void aWorkerWithoutTheImageStepsAsideAndTheJobEndsOnlyWhenNoWorkerCanRunIt() throws Exception {
        Launcher broken = stack.addWorker("no-images-" + System.nanoTime(), 1, Stack.DOCKER_HOST,
                new LanguageCatalog("codeexec/runner-", "no-such-tag"));
        String id = Stack.json(stack.post("/jobs", Map.of("language", "ruby", "code", "puts 1"))).get("id").asText();
        JsonNode job = awaitResult(id);
        JsonNode result = job.get("result");
        assertEquals("internal_error", result.get("verdict").asText(), job.toString());
        assertTrue(result.get("message").asText().startsWith("no worker could run it"), result.toString());
        assertTrue(result.get("message").asText().contains("codeexec/runner-ruby:no-such-tag"), result.toString());
        // Released MAX_RELEASES times without using an attempt; only the claim that ended it counts.
        assertEquals(Integer.toString(JobQueue.MAX_RELEASES), stack.redis.hget(RedisKeys.job(id), "releases"));
        assertEquals(1, job.get("attempts").asInt(), job.toString());
        assertEquals(List.of(), stack.redis.lrange(RedisKeys.executions(id), 0, -1), "it never ran");
        String heartbeat = awaitHeartbeatMentioning(broken.workerId(), "ruby");
        assertTrue(heartbeat.contains("stepAside"), heartbeat);

        // A healthy worker beside it takes the language's jobs; the broken one keeps stepping aside.
        stack.addWorker("healthy-" + System.nanoTime(), 1);
        String served = Stack.json(stack.post("/jobs", Map.of("language", "ruby", "code", "puts 2"))).get("id").asText();
        JsonNode ok = awaitResult(served);
        assertEquals("ok", ok.get("result").get("verdict").asText(), ok.toString());
        assertEquals("2\n", ok.get("result").get("stdout").asText());
        assertEquals(1, ok.get("attempts").asInt(), ok.toString());
    }

    @Test
    void aWorkerWhoseEngineIsUnreachableClaimsNothingUntilItIsBack() throws Exception {
        Path socket = Path.of("/tmp/codeexec-engine-" + System.nanoTime() + ".sock");
        try (UnixSocketProxy engine = new UnixSocketProxy(socket, Path.of("/var/run/docker.sock"))) {
            engine.up();
            Launcher worker = stack.addWorker("flaky-engine-" + System.nanoTime(), 1, engine.dockerHost(),
                    LanguageCatalog.standard());
            engine.down();
            String waiting = Stack.json(stack.post("/jobs", Map.of("language", "python", "code", "print('waited')")))
                    .get("id").asText();
            String heartbeat = awaitHeartbeatMentioning(worker.workerId(), engine.dockerHost());
            assertTrue(heartbeat.contains("stepAside"), heartbeat);
            Thread.sleep(5_000);
            JsonNode queued = Stack.json(stack.get("/jobs/" + waiting));
            assertEquals("queued", queued.get("status").asText(), "not burned while no engine answers: " + queued);
            assertEquals(0, queued.get("attempts").asInt(), queued.toString());

            engine.up();
            String after = Stack.json(stack.post("/jobs", Map.of("language", "python", "code", "print('back')"))).get("id").asText();
            JsonNode first = awaitResult(waiting).get("result");
            assertEquals("ok", first.get("verdict").asText(), first.toString());
            assertEquals("waited\n", first.get("stdout").asText());
            JsonNode back = awaitResult(after).get("result");
            assertEquals("back\n", back.get("stdout").asText(), back.toString());
        }
    }

    private String awaitHeartbeatMentioning(String workerId, String text) throws InterruptedException {
        String heartbeat = null;
        for (int i = 0; i < 100; i++) {
            heartbeat = stack.redis.get(RedisKeys.heartbeat(workerId));
            if (heartbeat != null && heartbeat.contains(text)) {
                return heartbeat;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("heartbeat of " + workerId + " never mentioned '" + text + "': " + heartbeat);
    }
}
