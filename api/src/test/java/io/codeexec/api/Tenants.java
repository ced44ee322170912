package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.queue.RedisKeys;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

// Tenant fixtures for API tests: an API with AUTH_MODE=keys, keys created through the admin API, requests sent with a key.
final class Tenants {
    static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    /** A created key as the admin API answered it. */
    record Key(String id, String key, String tenant, JsonNode answer) {}

    private Tenants() {}

    /** An API requiring keys, with the admin token set, plus any other settings. */
    static TestApi keysApi(String... extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of("AUTH_MODE", "keys", "ADMIN_TOKEN", ADMIN_TOKEN));
        for (int i = 0; i < extraEnv.length; i += 2) {
            env.put(extraEnv[i], extraEnv[i + 1]);
        }
        return TestApi.startWithEnv(env);
    }

    /** Creates a key through POST /admin/keys (body fields as JSON text, e.g. "\"name\": \"a\""); asserts 201. */
    static Key create(TestHttp api, String bodyFields) {
        HttpResponse<String> response = send(api, ADMIN_TOKEN, "POST", "/admin/keys", "{" + bodyFields + "}");
        assertEquals(201, response.statusCode(), response.body());
        JsonNode answer = TestHttp.json(response);
        return new Key(answer.get("id").asText(), answer.get("key").asText(), answer.get("tenant").asText(), answer);
    }

    /** A key for a new tenant with this plan JSON (null: the default plan). */
    static Key create(TestHttp api, String name, String tenant, String plan) {
        return create(api, "\"name\": \"" + name + "\", \"tenant\": \"" + tenant + "\"" + (plan == null ? "" : ", \"plan\": " + plan));
    }

    /** A request with {@code Authorization: Bearer token} (null: no header); body null for none. */
    static HttpResponse<String> send(TestHttp api, String token, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return api.send(request);
    }

    static String python(String code) {
        return "{\"language\": \"python\", \"code\": \"" + code + "\"}";
    }

    /**
     * Records the tenant of a job or batch as the fair part's submit scripts do (HSETNX: a no-op once they
     * write it themselves), so isolation is tested on what the hash says.
     */
    static void recordTenant(TestApi api, String hashKey, String tenant) {
        api.redis.hsetnx(hashKey, io.codeexec.common.queue.JobFields.TENANT, tenant);
    }

    static void recordJobTenant(TestApi api, String jobId, String tenant) {
        recordTenant(api, RedisKeys.job(jobId), tenant);
    }
}
