package io.codeexec.cli.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.codeexec.cli.api.ApiClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Following a batch through a scripted server: each final job fetched once, expired jobs settle it too. */
class BatchFollowerTest {
    private final HttpServer server;
    private final AtomicReference<String> batch = new AtomicReference<>();
    private final List<String> jobFetches = new CopyOnWriteArrayList<>();
    private final List<String> lines = new ArrayList<>();

    BatchFollowerTest() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/batches/b1", exchange -> reply(exchange, 200, batch.get()));
        server.createContext("/jobs/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/jobs/".length());
            jobFetches.add(id);
            if (id.equals("gone")) {
                reply(exchange, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"No job gone\"}}");
            } else {
                reply(exchange, 200, "{\"id\":\"" + id + "\",\"status\":\"completed\",\"result\":{\"verdict\":\"accepted\"}}");
            }
        });
        server.start();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private final Progress recording = new Progress() {
        @Override
        public void update(int done, int total, Map<String, Integer> verdicts) {
            lines.add(done + "/" + total + " " + verdicts);
        }

        @Override
        public void close() {}
    };

    @Test
    void fetchesEachFinalJobOnceAndEndsWhenEveryJobIsSettled() throws Exception {
        BatchFollower follower = new BatchFollower(
                new ApiClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, n -> {}), "b1");
        batch.set("""
                {"id":"b1","done":false,"verdicts":{"accepted":1},"jobs":[
                 {"id":"a","status":"completed","verdict":"accepted"},{"id":"old","status":"expired","verdict":null},
                 {"id":"gone","status":"completed","verdict":"accepted"},{"id":"c","status":"running","verdict":null}]}""");
        assertFalse(follower.poll(recording));
        batch.set(batch.get().replace("\"done\":false", "\"done\":true").replace("\"running\"", "\"completed\""));
        assertTrue(follower.poll(recording));

        assertEquals(List.of("a", "gone", "c"), jobFetches, "each final job once; never an expired one");
        assertEquals(List.of("a", "old", "gone", "c"), follower.jobIds());
        assertEquals(List.of("a", "c"), List.copyOf(follower.finished().keySet()));
        assertEquals("expired", follower.statuses().get("gone"));
        assertEquals(List.of("3/4 {accepted=1}", "4/4 {accepted=1}"), lines);
    }
}
