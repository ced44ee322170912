package io.codeexec.api.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.api.ApiConfig;
import io.codeexec.api.ApiServer;
import io.codeexec.common.queue.JobFields;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The API's lines about one job carry its id (real API, real Redis, the real logback pipeline on stderr). */
class JobLogLinesIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anUnexpectedErrorOnAJobsRouteNamesTheJob() throws Exception {
        String url = RedisTestServer.url();
        String id = HexFormat.of().formatHex(randomBytes());
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        ApiServer api = ApiServer.start(ApiConfig.defaults().withPort(0).withRedisUrl(url));
        try (RedisClient redis = new RedisConnector(url).pooled(2)) {
            // A job hash no code path writes: reading it is our bug, a 500 that is logged.
            redis.hset(RedisKeys.job(id), JobFields.STATUS, "no-such-status");
            System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.port() + "/jobs/" + id)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(500, response.statusCode(), response.body());
        } finally {
            System.setErr(original);
            api.stop();
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("Unexpected error on GET /jobs/")).toList();
        assertEquals(1, lines.size(), captured.toString(StandardCharsets.UTF_8));
        assertTrue(lines.getFirst().endsWith(" job=" + id), lines.getFirst());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
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
