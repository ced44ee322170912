package io.codeexec.e2e;

import static io.codeexec.e2e.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.testing.SseTestClient;
import io.codeexec.common.testing.SseTestClient.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

/**
 * Live output end to end: the API, a real worker, the real runner images (RUNNER_IMAGE_TAG, whose
 * launcher streams) and a real Redis; an SSE client on GET /jobs/{id}/events.
 */
class EventsEndToEndIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PRINT_SLEEP_PRINT =
            "import time\nprint('a', flush=True)\ntime.sleep(2)\nprint('b', flush=True)\ntime.sleep(0.5)\nprint('c')\n";
    private static Stack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        stack = Stack.start(1, 2);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private String submit(Map<String, Object> job) {
        return json(stack.post("/jobs", job)).path("id").asText();
    }

    private SseTestClient open(String id, String lastEventId) {
        return SseTestClient.open(http, URI.create("http://localhost:" + stack.api.port() + "/jobs/" + id + "/events"),
                lastEventId);
    }

    private static String text(List<Event> events, String type) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.event().equals(type)).forEach(e -> text.append(e.json().path("data").asText()));
        return text.toString();
    }

    @Test
    void statusThenOutputAsItIsWrittenThenTheResult() throws Exception {
        String id = submit(Map.of("language", "python", "code", PRINT_SLEEP_PRINT));
        try (SseTestClient sse = open(id, null)) {
            assertEquals(200, sse.status());
            List<Event> events = sse.untilEnd(WAIT);
            List<String> types = events.stream().map(Event::event).toList();
            assertEquals("status", types.getFirst(), types.toString());
            assertEquals(List.of("status", "result"), types.subList(types.size() - 2, types.size()), types.toString());
            assertEquals("completed", events.get(events.size() - 2).json().path("status").asText());
            assertTrue(types.contains("status") && events.stream().anyMatch(e -> e.event().equals("status")
                    && e.json().path("status").asText().equals("running")), types.toString());
            assertEquals("a\nb\nc\n", text(events, "stdout"));
            Event first = events.stream().filter(e -> e.event().equals("stdout")).findFirst().orElseThrow();
            assertEquals("a\n", first.json().path("data").asText(), "the first line came alone, while the program slept");
            Event result = events.getLast();
            assertTrue(TimeUnit.NANOSECONDS.toMillis(result.atNanos() - first.atNanos()) >= 1500,
                    "the first chunk arrived before the program slept, not with the result");
            assertEquals(json(stack.get("/jobs/" + id)), result.json(), "the result event is GET /jobs/{id}");
            assertEquals("ok", result.json().path("result").path("verdict").asText());
            assertIncreasing(events.subList(1, events.size() - 1));
        }
    }

    @Test
    void reconnectingWithLastEventIdResumesWithoutDuplicates() throws Exception {
        String id = submit(Map.of("language", "python", "code", PRINT_SLEEP_PRINT));
        List<Event> before = new ArrayList<>();
        String resumeAt;
        try (SseTestClient sse = open(id, null)) {
            while (true) {
                Event event = sse.next(WAIT);
                before.add(event);
                if (event.event().equals("stdout")) {
                    resumeAt = event.id();
                    break;
                }
            }
        }
        assertEquals("a\n", text(before, "stdout"), "disconnected while the program slept");
        try (SseTestClient sse = open(id, resumeAt)) {
            List<Event> after = sse.untilEnd(WAIT);
            assertEquals("status", after.getFirst().event());
            assertEquals(resumeAt, after.getFirst().id());
            assertEquals("b\nc\n", text(after, "stdout"));
            StreamEntryID resume = new StreamEntryID(resumeAt);
            assertTrue(after.subList(1, after.size()).stream().allMatch(e -> new StreamEntryID(e.id()).compareTo(resume) > 0),
                    "nothing at or before the resume point again: " + after);
            assertEquals("result", after.getLast().event());
        }
    }

    @Test
    void gradedJobsStreamEachTestsOutputAndResult() throws Exception {
        String id = submit(Map.of("language", "python", "code", "a, b = map(int, input().split())\nprint(a + b)\n",
                "tests", List.of(Map.of("name", "one", "stdin", "1 2\n", "expectedOutput", "3\n"),
                        Map.of("name", "two", "stdin", "2 2\n", "expectedOutput", "5\n"))));
        try (SseTestClient sse = open(id, null)) {
            List<Event> events = sse.untilEnd(WAIT);
            List<Event> live = events.stream().filter(e -> List.of("stdout", "test").contains(e.event())).toList();
            assertEquals(List.of("stdout", "test", "stdout", "test"), live.stream().map(Event::event).toList(), events.toString());
            assertEquals(0, live.get(0).json().path("test").asInt());
            assertEquals("3\n", live.get(0).json().path("data").asText());
            assertEquals(0, live.get(1).json().path("index").asInt());
            assertEquals("accepted", live.get(1).json().path("verdict").asText());
            assertEquals(1, live.get(2).json().path("test").asInt());
            assertEquals("wrong_answer", live.get(3).json().path("verdict").asText());
            assertEquals("two", live.get(3).json().path("name").asText());
            assertEquals("wrong_answer", events.getLast().json().path("result").path("verdict").asText());
        }
    }

    @Test
    void unknownJobIs404Json() {
        SseTestClient sse = open("0123456789abcdef0123456789abcdef", null);
        assertEquals(404, sse.status());
        assertTrue(sse.body().contains("\"not_found\""));
    }

    private static void assertIncreasing(List<Event> events) {
        for (int i = 1; i < events.size(); i++) {
            assertTrue(new StreamEntryID(events.get(i - 1).id()).compareTo(new StreamEntryID(events.get(i).id())) < 0,
                    "ids grow: " + events);
        }
    }
}
