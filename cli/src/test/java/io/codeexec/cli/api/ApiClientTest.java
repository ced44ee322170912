package io.codeexec.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.codeexec.cli.ExitCodes;
import io.codeexec.common.json.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's HTTP behaviour against a scripted local server: auth header, retries, error messages. */
class ApiClientTest {
    private final HttpServer server = start();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<String> notices = new ArrayList<>();

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ApiClient client(String key) {
        return new ApiClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), key, notices::add);
    }

    private void answer(String path, int[] statuses, String[] bodies, String retryAfter) {
        AtomicInteger calls = new AtomicInteger();
        server.createContext(path, exchange -> {
            int i = Math.min(calls.getAndIncrement(), statuses.length - 1);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                    + exchange.getRequestHeaders().getFirst("Authorization") + " key="
                    + exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            if (retryAfter != null && statuses[i] == 429) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            byte[] body = bodies[i].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(statuses[i], body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    @Test
    void sendsTheKeyAsBearerAndRetries429AfterRetryAfterWithTheSameIdempotencyKey() throws Exception {
        answer("/batches", new int[] {429, 202}, new String[] {
                "{\"error\":{\"code\":\"rate_limited\",\"message\":\"slow down\"}}", "{\"id\":\"b1\"}"}, "1");
        long start = System.nanoTime();
        ApiClient.Answer answer = client("k3y").post("/batches", Json.MAPPER.createObjectNode(), Optional.of("idem-1"));
        assertEquals(202, answer.status());
        assertEquals("b1", answer.body().get("id").asText());
        assertTrue(System.nanoTime() - start >= 900_000_000L, "waited Retry-After");
        assertEquals(List.of("POST /batches auth=Bearer k3y key=idem-1", "POST /batches auth=Bearer k3y key=idem-1"), seen);
        assertTrue(notices.get(0).contains("rate limited (rate_limited); retrying in 1 s"), notices.toString());
    }

    @Test
    void a503IsRetriedOnlyWhenRepeatingIsSafe() throws Exception {
        String unavailable = "{\"error\":{\"code\":\"redis_unavailable\",\"message\":\"maybe queued\"}}";
        answer("/jobs", new int[] {503, 503, 202}, new String[] {unavailable, unavailable, "{\"id\":\"j1\"}"}, null);
        ApiException e = assertThrows(ApiException.class,
                () -> client(null).post("/jobs", Json.MAPPER.createObjectNode(), Optional.empty()));
        assertEquals(ExitCodes.INFRASTRUCTURE, e.exitCode());
        assertEquals(1, seen.size(), "no key: a retry could queue it twice");
        assertEquals("j1", client(null).post("/jobs", Json.MAPPER.createObjectNode(), Optional.of("k")).body().get("id").asText());
        assertEquals(3, seen.size(), "with a key: retried after the 503");
    }

    @Test
    void aClientErrorCarriesTheApisMessageAndField() {
        answer("/jobs", new int[] {400}, new String[] {
                "{\"error\":{\"code\":\"limit_too_high\",\"message\":\"memoryMb must be at most 1024\",\"field\":\"limits.memoryMb\"}}"}, null);
        ApiException e = assertThrows(ApiException.class,
                () -> client(null).post("/jobs", Json.MAPPER.createObjectNode(), Optional.empty()));
        assertEquals(ExitCodes.REJECTED, e.exitCode());
        assertEquals("the server answered 400 limit_too_high: memoryMb must be at most 1024 [field: limits.memoryMb]", e.getMessage());
        assertEquals("POST /jobs auth=null key=null", seen.get(0));
    }

    @Test
    void unauthorizedSaysHowToSetTheKey() {
        answer("/jobs/x", new int[] {401}, new String[] {"{\"error\":{\"code\":\"unauthorized\",\"message\":\"missing key\"}}"}, null);
        ApiException e = assertThrows(ApiException.class, () -> client(null).get("/jobs/x"));
        assertTrue(e.getMessage().contains("401 unauthorized: missing key (set the key with --key or CODEEXEC_KEY)"), e.getMessage());
    }

    @Test
    void aRefusedConnectionFailsAtOnceWithAClearMessage() {
        ApiClient client = new ApiClient(URI.create("http://127.0.0.1:1"), null, notices::add);
        ApiException e = assertThrows(ApiException.class, () -> client.get("/health"));
        assertEquals(ExitCodes.INFRASTRUCTURE, e.exitCode());
        assertTrue(e.getMessage().startsWith("cannot reach the codeexec server at http://127.0.0.1:1 (connection refused"), e.getMessage());
        assertTrue(notices.isEmpty());
    }
}
