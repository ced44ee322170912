package io.codeexec.api;

import static io.codeexec.api.TestApi.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.queue.RedisKeys;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

// The job resource without waiting: submit, read, cancel, and the 404s for ids that are not jobs.
class JobsApiIT extends ApiTestBase {
    @Test
    void submitAnswers202WithLocationAndId() {
        HttpResponse<String> response = api.post("/jobs", "{\"language\":\"python\",\"code\":\"print(1)\"}");
        assertEquals(202, response.statusCode(), response.body());
        JsonNode body = json(response);
        String id = body.get("id").asText();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals("queued", body.get("status").asText());
        assertEquals("/jobs/" + id, response.headers().firstValue("Location").orElseThrow());
        assertEquals(1, api.queue.pendingCount());
    }

    @Test
    void getQueuedJobReturnsTheJobDocument() {
        String id = api.submitPython("print(1)");
        HttpResponse<String> response = api.get("/jobs/" + id);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode job = json(response);
        assertEquals(id, job.get("id").asText());
        assertEquals("queued", job.get("status").asText());
        assertEquals("python", job.get("language").asText());
        Instant.parse(job.get("createdAt").asText());  // ISO-8601
        assertTrue(job.get("startedAt").isNull());
        assertTrue(job.get("result").isNull());
    }

    @Test
    void attemptsCountTheClaimsThatRan() {
        String id = api.submitPython("print(1)");
        assertEquals(0, json(api.get("/jobs/" + id)).get("attempts").asInt(), "queued: not claimed yet");
        FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("1\n", "")).join();
        JsonNode job = json(api.get("/jobs/" + id));
        assertEquals("completed", job.get("status").asText());
        assertEquals(1, job.get("attempts").asInt());
    }

    @Test
    void unknownIdIs404() {
        Envelope.assertError(api.get("/jobs/" + "0".repeat(32)), 404, "not_found", null);
    }

    @Test
    void malformedIdIs404() {
        Envelope.assertError(api.get("/jobs/not-an-id"), 404, "not_found", null);
        Envelope.assertError(api.get("/jobs/" + "A".repeat(32)), 404, "not_found", null);
        Envelope.assertError(api.delete("/jobs/xyz"), 404, "not_found", null);
    }

    @Test
    void deleteQueuedJobCancelsItOnce() {
        String id = api.submitPython("print(1)");
        HttpResponse<String> cancelled = api.delete("/jobs/" + id);
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals("cancelled", json(cancelled).get("status").asText());
        assertFalse(api.redis.lrange(RedisKeys.pending(), 0, -1).contains(id), "removed from the pending list");
        assertEquals("cancelled", json(api.get("/jobs/" + id)).get("status").asText());
        Envelope.assertError(api.delete("/jobs/" + id), 409, "already_finished", null);
    }

    @Test
    void deleteUnknownJobIs404() {
        Envelope.assertError(api.delete("/jobs/" + "a".repeat(32)), 404, "not_found", null);
    }
}
