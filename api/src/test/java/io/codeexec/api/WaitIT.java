package io.codeexec.api;

import static io.codeexec.api.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;

// Long-polling: ?wait=S on GET and POST returns as soon as a (simulated) worker completes the job.
class WaitIT extends ApiTestBase {
    @Test
    void getWaitReturnsAsSoonAsTheJobCompletes() {
        String id = api.submitPython("print(1)");
        var worker = FakeWorker.completeNext(api.queue, 500, job -> FakeWorker.ok("1\n", ""));
        long start = System.nanoTime();
        HttpResponse<String> response = api.get("/jobs/" + id + "?wait=20");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode job = json(response);
        assertEquals("completed", job.get("status").asText());
        assertEquals("1\n", job.get("result").get("stdout").asText());
        assertEquals("ok", job.get("result").get("verdict").asText());
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "woken by the completion, not the timeout: " + took);
        assertEquals(id, worker.join().id());
    }

    @Test
    void getWaitThatTimesOutAnswers202WithTheQueuedJob() {
        String id = api.submitPython("print(1)");
        long start = System.nanoTime();
        HttpResponse<String> response = api.get("/jobs/" + id + "?wait=1");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(202, response.statusCode(), response.body());
        assertEquals("queued", json(response).get("status").asText());
        assertTrue(took.compareTo(Duration.ofMillis(900)) >= 0, "waited the full second: " + took);
    }

    @Test
    void getWaitOnAFinishedJobAnswersAtOnce() {
        String id = api.submitPython("print(1)");
        FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("", "")).join();
        long start = System.nanoTime();
        assertEquals(200, api.get("/jobs/" + id + "?wait=10").statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0);
    }

    @Test
    void postWithWaitReturnsTheResult() {
        FakeWorker.completeNext(api.queue, 300, job -> FakeWorker.ok("hi\n", ""));
        HttpResponse<String> response = api.post("/jobs?wait=2", "{\"language\":\"python\",\"code\":\"print('hi')\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode job = json(response);
        assertEquals("completed", job.get("status").asText());
        assertEquals("hi\n", job.get("result").get("stdout").asText());
        assertEquals("/jobs/" + job.get("id").asText(), response.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void postWithWaitThatTimesOutAnswers202() {
        HttpResponse<String> response = api.post("/jobs?wait=0.5", "{\"language\":\"python\",\"code\":\"print(1)\"}");
        assertEquals(202, response.statusCode(), response.body());
        assertEquals("queued", json(response).get("status").asText());
        assertTrue(response.headers().firstValue("Location").isPresent());
    }

    @Test
    void aCompletionPublishedWhileTheSubscriberReconnectsIsNotLost() throws Exception {
        String id = api.submitPython("print(1)");
        var response = CompletableFuture.supplyAsync(() -> api.get("/jobs/" + id + "?wait=20"));
        Thread.sleep(300);  // the request is now waiting
        api.redis.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
        FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("late\n", "")).join();  // published to nobody
        long start = System.nanoTime();
        HttpResponse<String> answer = response.get(10, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("late\n", json(answer).get("result").get("stdout").asText());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0,
                "woken by the re-subscription, not the 20 s timeout");
    }

    @Test
    void waitOutsideItsRangeIs400AndQueuesNothing() {
        for (String wait : new String[] {"0", "-1", "31", "abc", ""}) {
            Envelope.assertError(api.post("/jobs?wait=" + wait, "{\"language\":\"python\",\"code\":\"x\"}"),
                    400, "invalid_value", "wait");
        }
        assertEquals(0, api.queue.pendingCount());
        Envelope.assertError(api.get("/jobs/" + api.submitPython("x") + "?wait=999"), 400, "invalid_value", "wait");
    }
}
