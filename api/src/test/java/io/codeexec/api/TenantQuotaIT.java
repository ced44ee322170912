package io.codeexec.api;

import static io.codeexec.api.Tenants.python;
import static io.codeexec.api.Tenants.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

// A tenant's queued-jobs cap (plan.maxQueued) through the live API: 429 quota_exceeded with Retry-After
// and the RateLimit headers, a batch refused as a whole, another tenant unaffected, room again once
// the tenant's jobs leave the queue.
class TenantQuotaIT {
    private static final String TWO_QUEUED = "{\"maxQueued\": 2}";

    @Test
    void pastItsQueuedCapATenantGets429AndOthersAreUnaffected() {
        try (TestApi api = Tenants.keysApi()) {
            Tenants.Key small = Tenants.create(api, "capped", "capped", TWO_QUEUED);
            Tenants.Key other = Tenants.create(api, "other", "other", null);
            String first = null;
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> accepted = send(api, small.key(), "POST", "/jobs", python("print(" + i + ")"));
                assertEquals(202, accepted.statusCode(), accepted.body());
                first = first == null ? TestHttp.json(accepted).get("id").asText() : first;
            }
            HttpResponse<String> refused = send(api, small.key(), "POST", "/jobs", python("print(3)"));
            JsonNode error = Envelope.assertError(refused, 429, "quota_exceeded", "maxQueued");
            assertTrue(error.get("message").asText().contains("2"), error.toString());
            assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
            assertTrue(refused.headers().firstValue("RateLimit-Limit").isPresent(), refused.headers().map().toString());

            HttpResponse<String> batch = send(api, small.key(), "POST", "/batches",
                    "{\"jobs\": [" + python("print(1)") + "]}");
            Envelope.assertError(batch, 429, "quota_exceeded", "maxQueued");

            HttpResponse<String> elsewhere = send(api, other.key(), "POST", "/jobs", python("print(4)"));
            assertEquals(202, elsewhere.statusCode(), "another tenant is not capped: " + elsewhere.body());

            assertEquals(200, send(api, small.key(), "DELETE", "/jobs/" + first, null).statusCode());
            HttpResponse<String> roomAgain = send(api, small.key(), "POST", "/jobs", python("print(5)"));
            assertEquals(202, roomAgain.statusCode(), "a cancelled job frees its place: " + roomAgain.body());
        }
    }
}
