package io.codeexec.api;

import static io.codeexec.api.Tenants.ADMIN_TOKEN;
import static io.codeexec.api.Tenants.python;
import static io.codeexec.api.Tenants.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.tenant.KeyMaterial;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

// AUTH_MODE=keys through the live HTTP API: create, use, list, revoke, unknown keys, and who may use /admin.
class TenantKeysIT {
    private TestApi api;

    @BeforeEach
    void start() {
        api = Tenants.keysApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void createUseListRevoke() {
        Tenants.Key alice = Tenants.create(api, "\"name\": \"alice\"");
        JsonNode created = alice.answer();
        assertTrue(alice.key().matches("ce_[0-9A-Za-z]{43}"), alice.key());
        assertTrue(created.get("callbackSecret").asText().matches("[0-9a-f]{64}"), created.toString());
        assertTrue(alice.tenant().matches("t-[0-9a-f]{12}"), "a new tenant when none is named: " + alice.tenant());
        assertEquals("alice", created.get("name").asText());
        assertEquals(120, created.get("plan").get("submissionsPerMinute").asInt(), "the default plan");
        assertTrue(created.hasNonNull("createdAt"));

        HttpResponse<String> submitted = send(api, alice.key(), "POST", "/jobs", python("print(1)"));
        assertEquals(202, submitted.statusCode(), submitted.body());
        HttpResponse<String> judge0Header = api.send(HttpRequest.newBuilder(api.uri("/languages"))
                .header("X-Auth-Token", alice.key()).GET());
        assertEquals(200, judge0Header.statusCode(), "X-Auth-Token is accepted too");

        HttpResponse<String> list = send(api, ADMIN_TOKEN, "GET", "/admin/keys", null);
        assertEquals(200, list.statusCode(), list.body());
        JsonNode keys = TestHttp.json(list).get("keys");
        assertEquals(1, keys.size());
        JsonNode listed = keys.get(0);
        assertEquals(alice.id(), listed.get("id").asText());
        assertEquals(alice.tenant(), listed.get("tenant").asText());
        assertFalse(listed.get("revoked").asBoolean());
        assertTrue(listed.hasNonNull("lastUsedAt"), "the key was used: " + listed);
        assertFalse(list.body().contains(alice.key()), "no key in the list");
        assertFalse(list.body().contains(created.get("callbackSecret").asText()), "no secret in the list");

        HttpResponse<String> revoked = send(api, ADMIN_TOKEN, "DELETE", "/admin/keys/" + alice.id(), null);
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertTrue(TestHttp.json(revoked).get("revoked").asBoolean());
        Envelope.assertError(send(api, alice.key(), "POST", "/jobs", python("print(2)")), 403, "key_revoked", null);
        Envelope.assertError(send(api, alice.key(), "GET", "/languages", null), 403, "key_revoked", null);
        assertEquals(1, queued(api.redis), "the refused submission queued nothing");
    }

    @Test
    void missingOrUnknownKeysGet401WithAChallengeButPublicPathsAreOpen() {
        Tenants.create(api, "\"name\": \"alice\"");
        for (HttpResponse<String> response : new HttpResponse[] {
                send(api, null, "POST", "/jobs", python("print(1)")),
                send(api, "ce_" + "x".repeat(43), "POST", "/jobs", python("print(1)")),
                send(api, null, "GET", "/languages", null),
                send(api, null, "GET", "/jobs/" + "a".repeat(26), null),
                send(api, ADMIN_TOKEN, "GET", "/stats", null)}) {
            Envelope.assertError(response, 401, "unauthorized", null);
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), response.headers().toString());
        }
        assertEquals(0, queued(api.redis));
        assertEquals(200, api.get("/health").statusCode());
        assertEquals(200, api.get("/ready").statusCode());
    }

    @Test
    void adminRoutesRefuseTenantKeysAndWrongTokens() {
        Tenants.Key alice = Tenants.create(api, "\"name\": \"alice\"");
        Envelope.assertError(send(api, alice.key(), "GET", "/admin/keys", null), 403, "admin_only", null);
        Envelope.assertError(send(api, alice.key(), "POST", "/admin/keys", "{\"name\": \"mine\"}"), 403, "admin_only", null);
        Envelope.assertError(send(api, alice.key(), "DELETE", "/admin/keys/" + alice.id(), null), 403, "admin_only", null);
        Envelope.assertError(send(api, ADMIN_TOKEN + "x", "GET", "/admin/keys", null), 401, "unauthorized", null);
        Envelope.assertError(send(api, null, "GET", "/admin/keys", null), 401, "unauthorized", null);
        assertEquals(1, TestHttp.json(send(api, ADMIN_TOKEN, "GET", "/admin/keys", null)).get("keys").size());
    }

    @Test
    void adminRoutesAreDisabledWithoutAnAdminToken() {
        try (TestApi noAdmin = TestApi.startWithEnv(Map.of("AUTH_MODE", "keys"))) {
            JsonNode error = Envelope.assertError(send(noAdmin, ADMIN_TOKEN, "POST", "/admin/keys", "{\"name\": \"a\"}"),
                    403, "admin_disabled", null);
            assertTrue(error.get("message").asText().contains("ADMIN_TOKEN"), error.toString());
            Envelope.assertError(send(noAdmin, null, "GET", "/admin/keys", null), 403, "admin_disabled", null);
            assertTrue(noAdmin.redis.keys("codeexec:apikey*").isEmpty());
        }
    }

    @Test
    void badCreationsAre400sNamingTheField() {
        Envelope.assertError(send(api, ADMIN_TOKEN, "POST", "/admin/keys", "{}"), 400, "missing_field", "name");
        Envelope.assertError(send(api, ADMIN_TOKEN, "POST", "/admin/keys", "{\"name\": 5}"), 400, "invalid_type", "name");
        Envelope.assertError(send(api, ADMIN_TOKEN, "POST", "/admin/keys", "{\"name\": \"a\", \"tenant\": \"Bad Id\"}"),
                400, "invalid_value", "tenant");
        Envelope.assertError(send(api, ADMIN_TOKEN, "POST", "/admin/keys", "{\"name\": \"a\", \"tenant\": \"anonymous\"}"),
                400, "invalid_value", "tenant");
        Envelope.assertError(send(api, ADMIN_TOKEN, "POST", "/admin/keys", "{\"name\": \"a\", \"color\": 1}"),
                400, "unknown_field", "color");
        Envelope.assertError(send(api, ADMIN_TOKEN, "POST", "/admin/keys",
                "{\"name\": \"a\", \"plan\": {\"maxLimits\": {\"memoryMb\": 4096}}}"), 400, "limit_too_high", "plan.maxLimits.memoryMb");
        Envelope.assertError(send(api, ADMIN_TOKEN, "POST", "/admin/keys", "{\"name\": \"a\", \"plan\": {\"maxQueued\": -3}}"),
                400, "limit_too_low", "plan.maxQueued");
        Envelope.assertError(send(api, ADMIN_TOKEN, "POST", "/admin/keys", "not json"), 400, "malformed_json", null);
        Envelope.assertError(send(api, ADMIN_TOKEN, "DELETE", "/admin/keys/key_0123456789abcdef", null), 404, "not_found", null);
        Envelope.assertError(send(api, ADMIN_TOKEN, "DELETE", "/admin/keys/nonsense", null), 404, "not_found", null);
        assertTrue(api.redis.keys("codeexec:apikey*").isEmpty(), "nothing was created");
    }

    @Test
    void aSecondKeyJoinsItsTenantAndTheSecretRotates() {
        Tenants.Key first = Tenants.create(api, "ci", "acme", "{\"submissionsPerMinute\": 30}");
        Tenants.Key second = Tenants.create(api, "\"name\": \"laptop\", \"tenant\": \"acme\"");
        assertEquals("acme", second.tenant());
        assertTrue(second.answer().get("callbackSecret").isNull(), "shown once, with the tenant's first key");
        assertEquals(30, second.answer().get("plan").get("submissionsPerMinute").asInt(), "the tenant keeps its plan");
        Tenants.Key third = Tenants.create(api, "grader", "acme", "{\"maxRunning\": 2}");
        assertEquals(30, third.answer().get("plan").get("submissionsPerMinute").asInt(), "a plan update merges over the tenant's");
        assertEquals(2, third.answer().get("plan").get("maxRunning").asInt());

        String before = api.redis.hget(RedisKeys.tenant("acme"), "callbackSecret");
        assertEquals(first.answer().get("callbackSecret").asText(), before);
        HttpResponse<String> rotated = send(api, ADMIN_TOKEN, "POST", "/admin/keys/" + second.id() + "/callback-secret", null);
        assertEquals(200, rotated.statusCode(), rotated.body());
        String secret = TestHttp.json(rotated).get("callbackSecret").asText();
        assertTrue(secret.matches("[0-9a-f]{64}"));
        assertNotEquals(before, secret);
        assertEquals(secret, api.redis.hget(RedisKeys.tenant("acme"), "callbackSecret"));
        assertEquals(KeyMaterial.sha256Hex(first.key()), api.redis.get(RedisKeys.apiKeyId(first.id())), "only the hash is kept");
    }

    @Test
    void idempotencyKeysAreScopedPerTenant() {
        Tenants.Key a = Tenants.create(api, "a", "tenant-a", null);
        Tenants.Key b = Tenants.create(api, "b", "tenant-b", null);
        String first = submitWithKey(a.key());
        assertEquals(first, submitWithKey(a.key()), "a retry by the same tenant replays");
        assertNotEquals(first, submitWithKey(b.key()), "another tenant's equal key is its own");
    }

    private String submitWithKey(String key) {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/jobs"))
                .header("Authorization", "Bearer " + key).header("Idempotency-Key", "same-key")
                .POST(HttpRequest.BodyPublishers.ofString(python("print(3)"))));
        assertEquals(202, response.statusCode(), response.body());
        return TestHttp.json(response).get("id").asText();
    }

    /** Jobs queued, every tenant (the queue is per tenant now: one counter holds the total). */
    private static long queued(redis.clients.jedis.UnifiedJedis redis) {
        String count = redis.get(RedisKeys.queued());
        return count == null ? 0 : Long.parseLong(count);
    }
}
