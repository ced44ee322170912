package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import io.codeexec.common.testing.RedisWithArgs;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API against a Redis that requires a password: served with the right one, /ready 503 and one line with a wrong one. */
class RedisCredentialsIT {
    private static final String PASSWORD = "right-pw-0123";
    private static RedisWithArgs redis;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startRedis() {
        redis = RedisWithArgs.builder().args("--requirepass", PASSWORD).start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private ApiServer start(String password) {
        String url = "redis://:" + password + "@" + redis.host() + ":" + redis.port();
        return ApiServer.start(ApiConfig.defaults().withPort(0).withRedisUrl(url));
    }

    private HttpResponse<String> get(ApiServer api, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRightPasswordIsReady() throws Exception {
        ApiServer api = start(PASSWORD);
        try {
            HttpResponse<String> ready = get(api, "/ready");
            assertEquals(200, ready.statusCode(), ready.body());
        } finally {
            api.stop();
        }
    }

    @Test
    void aWrongPasswordIsNotReadyAndSaysSoOnceWithoutTheSecret() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        ApiServer api = start("wrong-pw-4567");
        try {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> ready = get(api, "/ready");
                assertEquals(503, ready.statusCode(), ready.body());
                JsonNode body = Json.MAPPER.readTree(ready.body());
                assertEquals("unavailable", body.get("status").asText());
                assertTrue(body.get("reason").asText().startsWith("Redis refused the credentials (NOAUTH/WRONGPASS) for redis://:***@"),
                        ready.body());
                assertFalse(ready.body().contains("wrong-pw"), ready.body());
            }
        } finally {
            api.stop();
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        long lines = log.lines().filter(line -> line.contains("Redis refused the credentials")).count();
        assertEquals(1, lines, log);
        assertFalse(log.contains("wrong-pw-4567"), log);
    }

    /** Writes to both streams (the test still shows the log). */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
