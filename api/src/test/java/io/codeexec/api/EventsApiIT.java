package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.api.events.EventsController;
import io.codeexec.common.events.JobEventStream;
import io.codeexec.common.queue.JobStore;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.testing.RedisTestServer;
import io.javalin.Javalin;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.SseTestClient;
import io.codeexec.common.testing.SseTestClient.Event;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

// GET /jobs/{id}/events against the live API and real Redis; events are written to the job's stream as
// a worker writes them (XADD event/data), and the fake worker's complete goes through complete.lua.
class EventsApiIT extends ApiTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SseTestClient open(String id, String lastEventId) {
        return SseTestClient.open(http, api.uri("/jobs/" + id + "/events"), lastEventId);
    }

    private StreamEntryID publish(String id, String event, String json) {
        return api.redis.xadd(RedisKeys.jobEvents(id), StreamEntryID.NEW_ENTRY,
                Map.of(JobEventStream.EVENT, event, JobEventStream.DATA, json));
    }

    private static String stdout(List<Event> events) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.event().equals("stdout")).forEach(e -> text.append(e.json().path("data").asText()));
        return text.toString();
    }

    private static List<String> types(List<Event> events) {
        return events.stream().map(Event::event).toList();
    }

    @Test
    void statusThenChunksAsTheyArriveThenTheResultAndTheEnd() throws Exception {
        String id = api.submitPython("print(1)");
        try (SseTestClient sse = open(id, null)) {
            assertEquals(200, sse.status());
            assertTrue(sse.contentType().startsWith("text/event-stream"), sse.contentType());
            Event first = sse.next(WAIT);
            assertEquals("status", first.event());
            assertEquals("queued", first.json().path("status").asText());
            assertEquals("0-0", first.id());
            publish(id, "status", "{\"status\":\"running\"}");
            publish(id, "stdout", "{\"data\":\"a\\n\"}");
            Event running = sse.next(WAIT);
            Event chunk = sse.next(WAIT);
            assertEquals("running", running.json().path("status").asText());
            assertEquals("a\n", chunk.json().path("data").asText(), "a chunk arrives while the job still runs");
            publish(id, "stderr", "{\"data\":\"oops\"}");
            publish(id, "stdout", "{\"data\":\"b\\n\"}");
            FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("a\nb\n", "oops")).join();
            List<Event> rest = sse.untilEnd(WAIT);
            assertEquals(List.of("stderr", "stdout", "status", "result"), types(rest));
            assertEquals("completed", rest.get(2).json().path("status").asText());
            JsonNode result = rest.get(3).json();
            assertEquals(TestHttp.json(api.get("/jobs/" + id)), result, "the result event is GET /jobs/{id}");
            List<Event> stored = new ArrayList<>(List.of(running, chunk));
            stored.addAll(rest.subList(0, 3));
            for (int i = 1; i < stored.size(); i++) {
                assertTrue(new StreamEntryID(stored.get(i - 1).id()).compareTo(new StreamEntryID(stored.get(i).id())) < 0,
                        "ids grow: " + stored);
            }
            assertEquals(rest.get(2).id(), rest.get(3).id(), "the result carries the final status's id");
        }
    }

    @Test
    void lastEventIdResumesAfterThatEventWithoutDuplicates() throws Exception {
        String id = api.submitPython("print(1)");
        publish(id, "status", "{\"status\":\"running\"}");
        StreamEntryID a = publish(id, "stdout", "{\"data\":\"a\\n\"}");
        publish(id, "stdout", "{\"data\":\"b\\n\"}");
        FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("a\nb\n", "")).join();
        List<Event> all;
        try (SseTestClient sse = open(id, null)) {
            all = sse.untilEnd(WAIT);
        }
        assertEquals(List.of("status", "status", "stdout", "stdout", "status", "result"), types(all));
        assertEquals("a\nb\n", stdout(all));
        try (SseTestClient resumed = open(id, a.toString())) {
            List<Event> after = resumed.untilEnd(WAIT);
            assertEquals(List.of("status", "stdout", "status", "result"), types(after));
            assertEquals(a.toString(), after.getFirst().id(), "the current status carries the resume point");
            assertEquals("completed", after.getFirst().json().path("status").asText());
            assertEquals("b\n", stdout(after));
        }
    }

    @Test
    void aCancelledJobEndsItsStream() throws Exception {
        String id = api.submitPython("print(1)");
        try (SseTestClient sse = open(id, null)) {
            assertEquals("queued", sse.next(WAIT).json().path("status").asText());
            assertEquals(200, api.delete("/jobs/" + id).statusCode());
            List<Event> rest = sse.untilEnd(WAIT);
            assertEquals(List.of("status", "result"), types(rest));
            assertEquals("cancelled", rest.get(1).json().path("status").asText());
        }
    }

    @Test
    void aFinishedJobWhoseStreamExpiredStillGetsItsResult() throws Exception {
        String id = api.submitPython("print(1)");
        FakeWorker.completeNext(api.queue, 0, job -> FakeWorker.ok("1\n", "")).join();
        api.redis.del(RedisKeys.jobEvents(id));
        try (SseTestClient sse = open(id, null)) {
            List<Event> all = sse.untilEnd(WAIT);
            assertEquals(List.of("status", "result"), types(all));
            assertEquals("1\n", all.get(1).json().path("result").path("stdout").asText());
        }
    }

    @Test
    void unknownJobsAndBadResumePointsAreJsonErrors() {
        SseTestClient missing = open("0123456789abcdef0123456789abcdef", null);
        assertEquals(404, missing.status());
        assertTrue(missing.body().contains("\"not_found\""));
        SseTestClient malformed = open("not-an-id", null);
        assertEquals(404, malformed.status());
        assertTrue(malformed.body().contains("\"not_found\""));
        String id = api.submitPython("print(1)");
        SseTestClient bad = open(id, "yesterday");
        assertEquals(400, bad.status());
        String body = bad.body();
        assertTrue(body.contains("\"invalid_value\"") && body.contains("Last-Event-ID"), body);
    }

    // 200 clients stream at once: one Redis connection reads for all of them and no platform thread is
    // held per client; every client gets its job's chunk and result.
    @Test
    void twoHundredConcurrentClients() throws Exception {
        int clients = 200;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        int redisClientsBefore = connectedClients();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < clients / 2; i++) {
            ids.add(api.submitPython("print(" + i + ")"));
        }
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpClient shared = HttpClient.newBuilder().executor(virtual).connectTimeout(Duration.ofSeconds(20)).build();
            List<CompletableFuture<SseTestClient>> opening = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String id = ids.get(i % ids.size());
                opening.add(CompletableFuture.supplyAsync(
                        () -> SseTestClient.open(shared, api.uri("/jobs/" + id + "/events"), null), virtual));
            }
            List<SseTestClient> streams = opening.stream().map(CompletableFuture::join).toList();
            for (SseTestClient sse : streams) {
                assertEquals(200, sse.status());
                assertEquals("status", sse.next(WAIT).event());
            }
            int redisClientsOpen = connectedClients();
            int threadsOpen = threads.getThreadCount();
            // No platform thread waits in the events code for a client: streams are parked virtual threads
            // (absent from this dump) and one shared reader. Jetty's pool may grow with the burst of opens
            // (idle threads it retires later), so the thread count alone only bounds it below one per client.
            List<String> waitingInEvents = java.util.Arrays.stream(threads.dumpAllThreads(false, false))
                    .filter(t -> java.util.Arrays.stream(t.getStackTrace())
                            .anyMatch(f -> f.getClassName().startsWith("io.codeexec.api.events.EventSession")))
                    .map(java.lang.management.ThreadInfo::getThreadName).toList();
            for (String id : ids) {
                publish(id, "stdout", "{\"data\":\"" + id + "\"}");
            }
            FakeWorker.completeMany(api.queue, ids.size(), 4, 0, job -> FakeWorker.ok("", "")).join();
            for (int i = 0; i < clients; i++) {
                List<Event> rest = streams.get(i).untilEnd(WAIT);
                assertEquals(List.of("stdout", "status", "result"), types(rest), "client " + i);
                assertEquals(ids.get(i % ids.size()), rest.getFirst().json().path("data").asText());
                streams.get(i).close();
            }
            assertTrue(redisClientsOpen - redisClientsBefore <= 14,
                    "Redis connections while 200 streams were open: " + redisClientsBefore + " → " + redisClientsOpen);
            assertTrue(waitingInEvents.isEmpty(), "platform threads serving a stream: " + waitingInEvents);
            assertTrue(threadsOpen - threadsBefore < clients,
                    "platform threads while 200 streams were open: " + threadsBefore + " → " + threadsOpen);
            System.out.printf("200 SSE clients: Redis connections %d → %d, platform threads %d → %d%n",
                    redisClientsBefore, redisClientsOpen, threadsBefore, threadsOpen);
        }
    }

    private int connectedClients() {
        String info = api.redis.info("clients");
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("connected_clients:")) {
                return Integer.parseInt(line.substring("connected_clients:".length()).strip());
            }
        }
        throw new AssertionError("no connected_clients in " + info);
    }

    // With a short keep-alive: comments flow while nothing happens, and each tick re-reads the job, so a
    // job that became final without its final status event (a lost delivery) still ends the stream.
    @Test
    void keepAliveTicksSendCommentsAndNoticeAFinalJob() throws Exception {
        String id = api.submitPython("print(1)");
        try (EventsController events = EventsController.start(new JobStore(api.redis), api.redis,
                new RedisConnector(RedisTestServer.url()), Duration.ofMillis(300))) {
            Javalin app = Javalin.create(cfg -> cfg.routes.get("/jobs/{id}/events", events::stream)).start(0);
            try (SseTestClient sse = SseTestClient.open(http, java.net.URI.create("http://localhost:" + app.port()
                    + "/jobs/" + id + "/events"), null)) {
                assertEquals("queued", sse.next(WAIT).json().path("status").asText());
                Thread.sleep(1_000);
                assertTrue(sse.comments() >= 2, "keep-alive comments: " + sse.comments());
                api.redis.hset(RedisKeys.job(id), "status", "cancelled");  // final, but no status event
                List<Event> rest = sse.untilEnd(WAIT);
                assertEquals(List.of("result"), types(rest));
                assertEquals("cancelled", rest.getFirst().json().path("status").asText());
            } finally {
                app.stop();
            }
        }
    }
}
