package io.codeexec.api;

import static io.codeexec.api.Tenants.python;
import static io.codeexec.api.Tenants.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.RedisKeys;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

// Per-tenant rate limits and plan maxima through the live API: 429 with its headers, recovery, batch cost,
// one bucket across two replicas, a plan's limit and test maxima.
class RateLimitIT {
    private static final String FIVE_A_MINUTE = "{\"submissionsPerMinute\": 5}";

    @Test
    void theSixthSubmissionIsRefusedWithTheHeadersAndTheBucketRecovers() throws InterruptedException {
        try (TestApi api = Tenants.keysApi()) {
            Tenants.Key key = Tenants.create(api, "small", "small", FIVE_A_MINUTE);
            String jobId = null;
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> accepted = send(api, key.key(), "POST", "/jobs", python("print(" + i + ")"));
                assertEquals(202, accepted.statusCode(), accepted.body());
                assertHeaders(accepted, 5, 4 - i);
                jobId = TestHttp.json(accepted).get("id").asText();
            }
            HttpResponse<String> refused = send(api, key.key(), "POST", "/jobs", python("print(6)"));
            JsonNode error = Envelope.assertError(refused, 429, "rate_limited", null);
            assertTrue(error.get("message").asText().contains("5 submissions per minute"), error.toString());
            assertHeaders(refused, 5, 0);
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 12, "one token per 12 s: " + retryAfter);
            long reset = Long.parseLong(refused.headers().firstValue("RateLimit-Reset").orElseThrow());
            assertTrue(reset > 50 && reset <= 60, "full again in about a minute: " + reset);
            assertEquals(5, queued(api.redis), "the refused job was not queued");

            HttpResponse<String> run = send(api, key.key(), "POST", "/run/python", "{\"code\": \"print(1)\"}");
            assertEquals(429, run.statusCode(), "the seed's /run is a submission too: " + run.body());
            assertTrue(TestHttp.json(run).get("message").asText().contains("Rate limit"), "in its own error shape: " + run.body());
            assertTrue(run.headers().firstValue("Retry-After").isPresent());
            Tenants.recordJobTenant(api, jobId, "small");
            HttpResponse<String> read = send(api, key.key(), "GET", "/jobs/" + jobId, null);
            assertEquals(200, read.statusCode(), "reading is not limited: " + read.body());
            assertHeaders(read, 5, 0);

            Thread.sleep(retryAfter * 1000 + 200);
            HttpResponse<String> recovered = send(api, key.key(), "POST", "/jobs", python("print(7)"));
            assertEquals(202, recovered.statusCode(), "after Retry-After: " + recovered.body());
            Envelope.assertError(send(api, key.key(), "POST", "/jobs", python("print(8)")), 429, "rate_limited", null);
        }
    }

    @Test
    void aRetryWithItsIdempotencyKeyIsNotChargedAgain() {
        try (TestApi api = Tenants.keysApi()) {
            Tenants.Key key = Tenants.create(api, "retrier", "retrier", FIVE_A_MINUTE);
            HttpRequest.Builder keyed = HttpRequest.newBuilder(api.uri("/jobs"))
                    .POST(HttpRequest.BodyPublishers.ofString(python("print(1)")))
                    .header("Authorization", "Bearer " + key.key()).header("Idempotency-Key", "order-1");
            HttpResponse<String> first = api.send(keyed);
            assertEquals(202, first.statusCode(), first.body());
            assertHeaders(first, 5, 4);
            for (int i = 0; i < 8; i++) {  // more retries than the bucket holds
                HttpResponse<String> retry = api.send(keyed);
                assertEquals(202, retry.statusCode(), "a retry is answered, never rate limited: " + retry.body());
                assertEquals(TestHttp.json(first).get("id"), TestHttp.json(retry).get("id"));
                assertHeaders(retry, 5, 4);
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(202, send(api, key.key(), "POST", "/jobs", python("print(" + i + ")")).statusCode(),
                        "the retries left the bucket's four tokens");
            }
            Envelope.assertError(send(api, key.key(), "POST", "/jobs", python("print(9)")), 429, "rate_limited", null);
        }
    }

    @Test
    void aBatchCostsOneTokenPerJob() {
        try (TestApi api = Tenants.keysApi()) {
            Tenants.Key key = Tenants.create(api, "grader", "grader", FIVE_A_MINUTE);
            String batch = "{\"jobs\": [" + python("print(1)") + ", " + python("print(2)") + ", " + python("print(3)") + "]}";
            HttpResponse<String> first = send(api, key.key(), "POST", "/batches", batch);
            assertEquals(202, first.statusCode(), first.body());
            assertHeaders(first, 5, 2);
            Envelope.assertError(send(api, key.key(), "POST", "/batches", batch), 429, "rate_limited", null);
            assertEquals(202, send(api, key.key(), "POST", "/jobs", python("print(4)")).statusCode());
        }
    }

    @Test
    void twoReplicasSharingRedisEnforceOneBucket() {
        try (TestApi one = Tenants.keysApi(); TestApi two = Tenants.keysApi()) {
            Tenants.Key key = Tenants.create(one, "shared", "shared", FIVE_A_MINUTE);
            int accepted = 0;
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> response = send(i % 2 == 0 ? one : two, key.key(), "POST", "/jobs", python("print(" + i + ")"));
                if (response.statusCode() == 202) {
                    accepted++;
                } else {
                    Envelope.assertError(response, 429, "rate_limited", null);
                }
            }
            assertEquals(5, accepted, "one bucket of 5 across both replicas");
            assertEquals(5, queued(one.redis));
        }
    }

    @Test
    void aPlansMaximaBoundEachJob() {
        try (TestApi api = Tenants.keysApi()) {
            Tenants.Key key = Tenants.create(api, "edu", "edu",
                    "{\"maxTestsPerJob\": 2, \"maxLimits\": {\"memoryMb\": 64, \"timeMs\": 1000}}");
            JsonNode error = Envelope.assertError(send(api, key.key(), "POST", "/jobs",
                    "{\"language\": \"python\", \"code\": \"print(1)\", \"limits\": {\"memoryMb\": 128}}"),
                    400, "limit_too_high", "limits.memoryMb");
            assertTrue(error.get("message").asText().contains("64"), error.toString());
            String tests = "\"tests\": [{\"stdin\": \"1\"}, {\"stdin\": \"2\"}, {\"stdin\": \"3\"}]";
            Envelope.assertError(send(api, key.key(), "POST", "/jobs",
                    "{\"language\": \"python\", \"code\": \"print(1)\", " + tests + "}"), 400, "too_many_tests", "tests");
            Envelope.assertError(send(api, key.key(), "POST", "/batches", "{\"jobs\": [" + python("print(1)")
                    + ", {\"language\": \"python\", \"code\": \"print(1)\", " + tests + "}]}"), 400, "too_many_tests", "jobs[1].tests");
            assertEquals(0, queued(api.redis));

            HttpResponse<String> fits = send(api, key.key(), "POST", "/jobs", python("print(1)"));
            assertEquals(202, fits.statusCode(), fits.body());
            String id = TestHttp.json(fits).get("id").asText();
            JsonNode limits = Json.read(api.redis.hget(RedisKeys.job(id), "request"), JsonNode.class).get("limits");
            assertEquals(64, limits.get("memoryMb").asInt(), "defaults shrink to the plan: " + limits);
            assertEquals(1000, limits.get("timeMs").asInt());

            Tenants.Key other = Tenants.create(api, "big", "big", null);
            assertEquals(202, send(api, other.key(), "POST", "/jobs",
                    "{\"language\": \"python\", \"code\": \"print(1)\", \"limits\": {\"memoryMb\": 1024}}").statusCode(),
                    "another tenant keeps the server's maxima");
        }
    }

    @Test
    void aTenantWithoutARateHasNoBucket() {
        try (TestApi api = Tenants.keysApi()) {
            Tenants.Key key = Tenants.create(api, "unlimited", "unlimited", "{\"submissionsPerMinute\": 0}");
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = send(api, key.key(), "POST", "/jobs", python("print(1)"));
                assertEquals(202, response.statusCode());
                assertTrue(response.headers().firstValue("RateLimit-Limit").isEmpty());
            }
            assertTrue(api.redis.keys(RedisKeys.rateBucket("*")).isEmpty());
        }
    }

    static void assertHeaders(HttpResponse<String> response, int limit, int remaining) {
        Map<String, java.util.List<String>> headers = response.headers().map();
        assertEquals(String.valueOf(limit), response.headers().firstValue("RateLimit-Limit").orElse(null), headers.toString());
        assertEquals(String.valueOf(remaining), response.headers().firstValue("RateLimit-Remaining").orElse(null), headers.toString());
        assertTrue(response.headers().firstValue("RateLimit-Reset").isPresent(), headers.toString());
    }

    /** Jobs queued, every tenant (the queue is per tenant now: one counter holds the total). */
    private static long queued(redis.clients.jedis.UnifiedJedis redis) {
        String count = redis.get(RedisKeys.queued());
        return count == null ? 0 : Long.parseLong(count);
    }
}
