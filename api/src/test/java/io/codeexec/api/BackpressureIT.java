package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.config.Env;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Overload and outage: a full queue and an unreachable Redis answer 503 with Retry-After, never 500.
class BackpressureIT {
    @Test
    void fullQueueIs503WithRetryAfter() {
        try (TestApi api = TestApi.start(config -> config.withMaxQueueLength(2))) {
            api.submitPython("1");
            api.submitPython("2");
            HttpResponse<String> full = api.post("/jobs", "{\"language\":\"python\",\"code\":\"3\"}");
            Envelope.assertError(full, 503, "queue_full", null);
            assertTrue(full.headers().firstValue("Retry-After").isPresent());
            HttpResponse<String> run = api.post("/run/python", "{\"code\":\"3\"}");
            assertEquals(503, run.statusCode(), run.body());
            assertTrue(TestApi.json(run).get("message").asText().contains("full"), run.body());
            assertTrue(run.headers().firstValue("Retry-After").isPresent());
            assertEquals(2, api.queue.pendingCount());
        }
    }

    @Test
    void unreachableRedisStillStartsAndAnswers503() {
        ApiConfig config = ApiConfig.fromEnv(new Env(Map.of("PORT", "0", "REDIS_URL", "redis://127.0.0.1:1")));
        ApiServer server = ApiServer.start(config);
        try {
            TestHttp client = new TestHttp(server.port());
            HttpResponse<String> ready = client.get("/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("unavailable", TestApi.json(ready).get("status").asText());
            assertEquals(200, client.get("/health").statusCode());
            HttpResponse<String> submit = client.post("/jobs", "{\"language\":\"python\",\"code\":\"x\"}");
            JsonNode error = Envelope.assertError(submit, 503, "redis_unavailable", null);
            assertTrue(error.get("message").asText().contains("same Idempotency-Key header is safe"), error.toString());
            assertEquals("5", submit.headers().firstValue("Retry-After").orElse(""));
            assertFalse(Envelope.assertError(client.get("/jobs/" + "a".repeat(32)), 503, "redis_unavailable", null)
                    .get("message").asText().contains("Idempotency-Key"), "only submissions mention the key");
        } finally {
            server.stop();
        }
    }
}
