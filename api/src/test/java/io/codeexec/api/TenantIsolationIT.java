package io.codeexec.api;

import static io.codeexec.api.Tenants.python;
import static io.codeexec.api.Tenants.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.queue.RedisKeys;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// Another tenant's job or batch answers exactly as a missing one (404 not_found), on every route that names it.
class TenantIsolationIT {
    private TestApi api;
    private Tenants.Key alice;
    private Tenants.Key bob;

    @BeforeEach
    void start() {
        api = Tenants.keysApi();
        alice = Tenants.create(api, "alice", "alice", null);
        bob = Tenants.create(api, "bob", "bob", null);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anotherTenantsJobIsNotFound() {
        String id = TestHttp.json(send(api, alice.key(), "POST", "/jobs", python("print(1)"))).get("id").asText();
        Tenants.recordJobTenant(api, id, "alice");
        assertEquals(200, send(api, alice.key(), "GET", "/jobs/" + id, null).statusCode());

        String missing = "No job " + id + " (it may never have existed, or its result has expired)";
        for (HttpResponse<String> response : new HttpResponse[] {
                send(api, bob.key(), "GET", "/jobs/" + id, null),
                send(api, bob.key(), "GET", "/jobs/" + id + "?wait=1", null),
                send(api, bob.key(), "DELETE", "/jobs/" + id, null)}) {
            JsonNode error = Envelope.assertError(response, 404, "not_found", null);
            assertEquals(missing, error.get("message").asText(), "the same answer as a missing job");
        }
        assertEquals("queued", api.redis.hget(RedisKeys.job(id), "status"), "bob's DELETE cancelled nothing");
        assertEquals(200, send(api, alice.key(), "DELETE", "/jobs/" + id, null).statusCode());
    }

    @Test
    void anotherTenantsBatchIsNotFound() {
        HttpResponse<String> submitted = send(api, alice.key(), "POST", "/batches", "{\"jobs\": [" + python("print(1)") + "]}");
        assertEquals(202, submitted.statusCode(), submitted.body());
        String id = TestHttp.json(submitted).get("id").asText();
        Tenants.recordTenant(api, RedisKeys.batch(id), "alice");
        assertEquals(200, send(api, alice.key(), "GET", "/batches/" + id, null).statusCode());
        String missing = "No batch " + id + " (it may never have existed, or it has expired)";
        for (HttpResponse<String> response : new HttpResponse[] {
                send(api, bob.key(), "GET", "/batches/" + id, null),
                send(api, bob.key(), "GET", "/batches/" + id + "?wait=1", null)}) {
            assertEquals(missing, Envelope.assertError(response, 404, "not_found", null).get("message").asText());
        }
    }
}
