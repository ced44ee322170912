package io.codeexec.api;

import static io.codeexec.api.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.queue.RedisKeys;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

// Idempotency-Key on POST /jobs and POST /batches: a retry after a lost answer, and a race of two
// submissions with one key, each create exactly one job, and the client gets its id back.
class IdempotencyIT extends ApiTestBase {
    private static final String JOB = "{\"language\":\"python\",\"code\":\"print(1)\"}";
    private static final String BATCH = "{\"jobs\":[{\"language\":\"python\",\"code\":\"a\"},{\"language\":\"ruby\",\"code\":\"b\"}]}";

    private HttpResponse<String> post(String path, String body, String key) {
        return api.send(HttpRequest.newBuilder(api.uri(path)).header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private int jobsStored() {
        return api.redis.keys(RedisKeys.job("*")).size();
    }

    private static boolean replayed(HttpResponse<String> response) {
        return response.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false);
    }

    @Test
    void aRetryAfterALostAnswerGetsTheSameJob() throws Exception {
        // The first answer is lost: the client hangs up after sending, before any answer (a waiting submit
        // answers only once the job finishes), so it cannot know whether the job was stored.
        try (Socket socket = new Socket("localhost", api.server.port())) {
            byte[] body = JOB.getBytes(StandardCharsets.UTF_8);
            String head = "POST /jobs?wait=30 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Idempotency-Key: submit-7\r\nContent-Length: " + body.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (jobsStored() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertEquals(1, jobsStored(), "the first request was stored although its answer was lost");

        HttpResponse<String> retry = post("/jobs", JOB, "submit-7");
        assertEquals(202, retry.statusCode(), retry.body());
        assertTrue(replayed(retry), retry.headers().toString());
        String id = json(retry).get("id").asText();
        assertEquals("queued", json(retry).get("status").asText());
        assertEquals(List.of(id), api.redis.lrange(RedisKeys.pending(), 0, -1), "one job, and it is the retry's");
        assertEquals("/jobs/" + id, retry.headers().firstValue("Location").orElseThrow());
        assertEquals(1, jobsStored());
    }

    @Test
    void theFirstAnswerIsNotMarkedReplayedAndARetryReportsTheCurrentStatus() {
        HttpResponse<String> first = post("/jobs", JOB, "k1");
        assertEquals(202, first.statusCode(), first.body());
        assertFalse(first.headers().firstValue("Idempotent-Replayed").isPresent());
        String id = json(first).get("id").asText();
        FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("1\n", "")).join();

        HttpResponse<String> retry = post("/jobs", JOB, "k1");
        assertEquals(202, retry.statusCode(), retry.body());
        assertEquals(id, json(retry).get("id").asText());
        assertEquals("completed", json(retry).get("status").asText());
        HttpResponse<String> waiting = post("/jobs?wait=5", JOB, "k1");
        assertEquals(200, waiting.statusCode(), "as a first answer with ?wait would: " + waiting.body());
        assertTrue(replayed(waiting));
        assertEquals("1\n", json(waiting).get("result").get("stdout").asText());
        assertEquals(1, jobsStored());
    }

    @Test
    void aRetryAfterTheJobExpiredStillGetsItsIdAndSaysSo() {
        String id = json(post("/jobs", JOB, "k3")).get("id").asText();
        api.redis.del(RedisKeys.job(id));  // as when RESULT_TTL_SECONDS is shorter than the key's 24 h
        HttpResponse<String> retry = post("/jobs", JOB, "k3");
        assertEquals(202, retry.statusCode(), retry.body());
        assertEquals(id, json(retry).get("id").asText());
        assertEquals("expired", json(retry).get("status").asText());
        assertEquals(0, jobsStored(), "not run again");
    }

    @Test
    void concurrentSubmissionsWithOneKeyCreateOneJob() {
        int clients = 12;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return post("/jobs", JOB, "race");
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        start.countDown();
        Set<String> ids = new HashSet<>();
        int fresh = 0;
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.join();
            assertEquals(202, response.statusCode(), response.body());
            ids.add(json(response).get("id").asText());
            fresh += replayed(response) ? 0 : 1;
        }
        assertEquals(1, ids.size(), "every client got the same id");
        assertEquals(1, fresh, "one answer created it, the others replayed it");
        assertEquals(1, jobsStored());
        assertEquals(1, api.queue.pendingCount());
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        post("/jobs", JOB, "k2");
        JsonNode error = Envelope.assertError(post("/jobs", "{\"language\":\"python\",\"code\":\"print(2)\"}", "k2"),
                422, "idempotency_key_reused", "Idempotency-Key");
        assertTrue(error.get("message").asText().contains("different request"), error.toString());
        Envelope.assertError(post("/batches", BATCH, "k2"), 422, "idempotency_key_reused", "Idempotency-Key");
        assertEquals(1, jobsStored());
    }

    @Test
    void aMalformedKeyIs400AndQueuesNothing() {
        for (String bad : List.of("x".repeat(201), "tab\there")) {
            Envelope.assertError(post("/jobs", JOB, bad), 400, "invalid_value", "Idempotency-Key");
            Envelope.assertError(post("/batches", BATCH, bad), 400, "invalid_value", "Idempotency-Key");
        }
        HttpResponse<String> empty = api.send(HttpRequest.newBuilder(api.uri("/jobs")).header("Idempotency-Key", "")
                .POST(HttpRequest.BodyPublishers.ofString(JOB)));
        Envelope.assertError(empty, 400, "invalid_value", "Idempotency-Key");
        assertEquals(0, jobsStored());
        assertEquals(202, post("/jobs", JOB, "x".repeat(200)).statusCode(), "200 characters are fine");
        assertEquals(202, post("/jobs", JOB, "with space ~!@#").statusCode());
    }

    @Test
    void aBatchRetryGetsTheSameBatchAndJobs() {
        HttpResponse<String> first = post("/batches", BATCH, "grading-run-3");
        assertEquals(202, first.statusCode(), first.body());
        HttpResponse<String> retry = post("/batches", BATCH, "grading-run-3");
        assertEquals(202, retry.statusCode(), retry.body());
        assertTrue(replayed(retry));
        assertEquals(json(first).get("id"), json(retry).get("id"));
        assertEquals(json(first).get("jobIds"), json(retry).get("jobIds"));
        assertEquals(2, jobsStored());
        assertEquals(1, api.redis.llen(RedisKeys.activeBatches()));
    }
}
