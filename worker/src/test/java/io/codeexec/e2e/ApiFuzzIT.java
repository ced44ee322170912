package io.codeexec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of the live API (real Redis, real workers, real runner images), issue 14.
 * Over 10,000 generated requests: random and mutated bodies for every submitting route, raw bytes,
 * invalid UTF-8, deep nesting, huge numbers, wrong and duplicated headers, random methods, paths and
 * query strings. Properties, for every request: no 5xx; an answer within {@link #DEADLINE_MS}; every
 * 4xx in the error shape, with {@code field} where a field is at fault. After all of them: every job
 * the API accepted reaches a final state, and the JVM's threads and heap are back near their baseline.
 * jqwik prints each property's seed; replay one with {@code @Property(seed = "…")}. What it found and
 * shrank is kept as regular regression cases in {@link ApiFuzzRegressionIT}.
 */
class ApiFuzzIT {
    static final int DEADLINE_MS = 15_000;
    static final int WAITING_DEADLINE_MS = 60_000;
    private static final Set<String> FIELD_CODES = Set.of("missing_field", "invalid_type", "unknown_field",
            "limit_too_high", "limit_too_low", "too_many_args", "result_too_large");

    private static Stack stack;
    private static RawHttp http;
    /** For requests that may wait for a job by design (/run, ?wait=): the server's longest wait plus slack. */
    private static RawHttp waitingHttp;
    private static final ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
    private static final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private static final AtomicInteger requests = new AtomicInteger();
    private static final AtomicInteger capacity = new AtomicInteger();
    private static long baselineThreads;
    private static long baselineHeap;

    @BeforeContainer
    static void start() throws Exception {
        stack = Stack.start(2, 2);
        http = new RawHttp(stack.api.port(), DEADLINE_MS);
        waitingHttp = new RawHttp(stack.api.port(), WAITING_DEADLINE_MS);
        long deadline = System.currentTimeMillis() + 120_000;
        while (!stack.get("/languages").body().contains("\"python\"")) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the workers never published python");
            }
            Thread.sleep(200);
        }
        for (int i = 0; i < 50; i++) {  // warm up the paths the baseline is compared with
            http.send("POST", "/jobs", List.<String[]>of(new String[] {"Content-Type", "application/json"}),
                    "{\"language\":\"python\"}".getBytes(StandardCharsets.UTF_8), -1);
        }
        settle();
        baselineThreads = ManagementFactory.getThreadMXBean().getThreadCount();
        baselineHeap = usedHeapAfterGc();
    }

    @AfterContainer
    static void finish() throws Exception {
        try {
            System.out.println("ApiFuzzIT: " + requests.get() + " requests, statuses " + new TreeMap<>(statusCounts())
                    + ", " + accepted.size() + " jobs accepted, " + capacity.get() + " answers to load");
            if (capacity.get() > requests.get() / 50) {
                throw new AssertionError(capacity.get() + " answers to load (503/504) in " + requests.get() + " requests");
            }
            if (requests.get() < 10_000) {
                throw new AssertionError("only " + requests.get() + " requests were generated (at least 10,000 expected)");
            }
            Jobs.awaitAllFinal(stack, List.copyOf(accepted), 600_000);
            long threads = settleThreads();
            long heap = usedHeapAfterGc();
            System.out.printf("ApiFuzzIT: threads %d -> %d, heap after GC %d MB -> %d MB%n", baselineThreads, threads,
                    baselineHeap >> 20, heap >> 20);
            if (threads > baselineThreads + 25) {
                throw new AssertionError("threads did not return to baseline: " + baselineThreads + " -> " + threads);
            }
            if (heap > baselineHeap + (96L << 20)) {
                throw new AssertionError("heap did not return to baseline: " + (baselineHeap >> 20) + " MB -> "
                        + (heap >> 20) + " MB");
            }
        } finally {
            stack.close();
        }
    }

    // --- properties (tries add up to 10,600)

    @Property(tries = 3500, shrinking = ShrinkingMode.BOUNDED)
    void jobSubmissions(@ForAll("jobRequests") FuzzRequest request) throws IOException {
        check(request);
    }

    @Property(tries = 800, shrinking = ShrinkingMode.BOUNDED)
    void batchSubmissions(@ForAll("batchRequests") FuzzRequest request) throws IOException {
        check(request);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void legacyRuns(@ForAll("runRequests") FuzzRequest request) throws IOException {
        check(request);
    }

    @Property(tries = 2000, shrinking = ShrinkingMode.BOUNDED)
    void rawBodies(@ForAll("rawRequests") FuzzRequest request) throws IOException {
        check(request);
    }

    @Property(tries = 2500, shrinking = ShrinkingMode.BOUNDED)
    void methodsPathsAndQueries(@ForAll("routeRequests") FuzzRequest request) throws IOException {
        check(request);
    }

    @Property(tries = 1500, shrinking = ShrinkingMode.BOUNDED)
    void headers(@ForAll("headerRequests") FuzzRequest request) throws IOException {
        check(request);
    }

    // --- the properties every answer must have

    private static void check(FuzzRequest request) throws IOException {
        requests.incrementAndGet();
        RawHttp.Answer answer;
        try {
            answer = (request.waits() ? waitingHttp : http).send(request.method(), request.target(), request.headers(),
                    request.body(), request.truncateTo());
        } catch (RawHttp.Hang e) {
            throw new AssertionError(e.getMessage() + ": " + request, e);
        }
        statuses.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
        if (answer.status() == 0) {
            if (request.truncateTo() >= 0 || request.httpBroken()) {
                return;  // the connection ended before a complete request: closing it is a fair answer
            }
            throw new AssertionError("no answer at all to " + request);
        }
        if (capacityAnswer(request, answer)) {
            capacity.incrementAndGet();
            return;
        }
        if (answer.status() >= 500) {
            throw new AssertionError(answer.status() + " for " + request + " -> " + RawHttp.abbreviate(answer.text()));
        }
        if (answer.status() >= 400) {
            checkErrorShape(request, answer);
        } else if (answer.status() < 300) {
            recordAccepted(request, answer);
        }
    }

    /**
     * A documented answer to load, not to the request: 503 with Retry-After (queue full), or /run's 504 when
     * its job could not finish in time because the queue was busy. Allowed, counted, and bounded in finish().
     */
    private static boolean capacityAnswer(FuzzRequest request, RawHttp.Answer answer) {
        return (answer.status() == 503 && answer.headers().containsKey("retry-after"))
                || (answer.status() == 504 && request.legacyRoute() && answer.text().contains("the queue may be busy"));
    }

    private static void checkErrorShape(FuzzRequest request, RawHttp.Answer answer) {
        if ("HEAD".equals(request.method())) {
            return;  // no body by definition
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError(answer.status() + " without a JSON body for " + request + " -> "
                    + RawHttp.abbreviate(answer.text()));
        }
        if (request.legacyRoute() && body != null && body.path("message").isTextual()) {
            return;  // /run keeps the seed API's {"message": ...}
        }
        if (request.target().startsWith("/api/v2/") && body != null && body.path("message").isTextual()) {
            return;  // Piston's own error shape, as Piston clients expect it
        }
        if (request.target().startsWith("/judge0/") && body != null && judge0Error(body)) {
            return;  // Judge0's own error shapes: {"error": "..."}, or 422 {"field": ["message", ...]}
        }
        JsonNode error = body == null ? null : body.get("error");
        if (error == null || !error.path("code").isTextual() || !error.path("message").isTextual()) {
            throw new AssertionError(answer.status() + " not in the error shape for " + request + " -> "
                    + RawHttp.abbreviate(answer.text()));
        }
        boolean wholeBody = error.get("message").asText().startsWith("The request body");
        if (FIELD_CODES.contains(error.get("code").asText()) && !wholeBody && error.path("field").asText("").isEmpty()) {
            throw new AssertionError(error.get("code").asText() + " without a field for " + request + " -> "
                    + RawHttp.abbreviate(answer.text()));
        }
    }

    private static boolean judge0Error(JsonNode body) {
        if (body.path("error").isTextual()) {
            return true;
        }
        if (!body.isObject() || body.isEmpty()) {
            return false;
        }
        for (JsonNode messages : body) {
            if (!messages.isArray() || messages.isEmpty() || !messages.get(0).isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static void recordAccepted(FuzzRequest request, RawHttp.Answer answer) throws IOException {
        if (!"POST".equals(request.method())) {
            return;
        }
        JsonNode body = Json.MAPPER.readTree(answer.body());
        if (request.target().startsWith("/jobs") && body.path("id").isTextual()) {
            accepted.add(body.get("id").asText());
        } else if (request.target().startsWith("/batches")) {
            body.path("jobIds").forEach(id -> accepted.add(id.asText()));
        } else if (request.target().startsWith("/judge0/submissions")) {  // a Judge0 token is our job id
            if (body.path("token").isTextual()) {
                accepted.add(body.get("token").asText());
            }
            body.forEach(item -> {
                if (item.path("token").isTextual()) {
                    accepted.add(item.get("token").asText());
                }
            });
        }
    }

    // --- generators

    @Provide
    Arbitrary<FuzzRequest> jobRequests() {
        return Combinators.combine(Submissions.jobBody(), Arbitraries.of("/jobs", "/jobs", "/jobs", "/jobs?wait=2",
                "/jobs?encoding=base64", "/jobs?wait=-1", "/jobs?wait=abc"))
                .as((body, target) -> FuzzRequest.json("POST", target, body));
    }

    @Provide
    Arbitrary<FuzzRequest> batchRequests() {
        return Submissions.batchBody().map(body -> FuzzRequest.json("POST", "/batches", body));
    }

    @Provide
    Arbitrary<FuzzRequest> runRequests() {
        Arbitrary<String> body = Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(JsonText.string(), JsonText.string())
                        .as((code, input) -> "{\"code\":" + code + ",\"input\":" + input + "}")),
                Tuple.of(1, Arbitraries.of("{\"code\":\"print(1)\"}", "{\"code\":\"puts 1\"}", "{}", "[]", "null")),
                Tuple.of(1, JsonText.value()));
        return Combinators.combine(Arbitraries.of("python", "ruby", "javascript", "c", "cobol", "%00", "..", "PYTHON"), body)
                .as((language, text) -> FuzzRequest.json("POST", "/run/" + language, text));
    }

    @Provide
    Arbitrary<FuzzRequest> rawRequests() {
        Arbitrary<byte[]> bodies = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
                Tuple.of(3, Submissions.jobBody().map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(2, Arbitraries.of(
                        bytes("{\"language\":\"python\",\"code\":\"print(\u00ff)\"}", StandardCharsets.ISO_8859_1),
                        new byte[] {'{', '"', 'c', 'o', 'd', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'},
                        new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'},
                        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'},
                        new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'},
                        bytes("{\"language\":\"python\",\"code\":\"print(1)\"}{\"x\":1}", StandardCharsets.UTF_8),
                        bytes(JsonText.nested(100_000, false), StandardCharsets.UTF_8),
                        bytes(JsonText.nested(5_000, true), StandardCharsets.UTF_8),
                        bytes("{\"language\":\"python\",\"code\":\"" + "a".repeat(3 << 20) + "\"}", StandardCharsets.UTF_8),
                        bytes("{\"language\":\"python\",\"limits\":{\"timeMs\":" + "9".repeat(5000) + "}}", StandardCharsets.UTF_8),
                        bytes("{\"language\":\"python\",\"limits\":{\"timeMs\":1e400}}", StandardCharsets.UTF_8),
                        bytes("", StandardCharsets.UTF_8), bytes("null", StandardCharsets.UTF_8),
                        bytes("\"just a string\"", StandardCharsets.UTF_8))));
        Arbitrary<String> targets = Arbitraries.of("/jobs", "/batches", "/run/python", "/api/v2/execute",
                "/judge0/submissions", "/judge0/submissions/batch", "/admin/keys");
        Arbitrary<String> contentTypes = Arbitraries.of("application/json", "application/json; charset=utf-8",
                "application/json; charset=latin1", "text/plain", "", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json; charset=nonsense");
        return Combinators.combine(targets, contentTypes, bodies, Arbitraries.integers().between(-1, 60))
                .as((target, type, body, cut) -> {
                    List<String[]> headers = type.isEmpty() ? List.of() : List.<String[]>of(new String[] {"Content-Type", type});
                    boolean truncate = cut >= 0 && cut < body.length && cut % 3 == 0;
                    return new FuzzRequest("POST", target, headers, body, truncate ? cut : -1, false);
                });
    }

    @Provide
    Arbitrary<FuzzRequest> routeRequests() {
        Arbitrary<String> methods = Arbitraries.of("GET", "GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS",
                "TRACE", "get", "FOO", "PROPFIND");
        Arbitrary<String> ids = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(32),
                Arbitraries.strings().alpha().numeric().ofMaxLength(40),
                Arbitraries.of("", "%00", "%2e%2e", "..", "%2F", "%ff%fe", "x".repeat(3000), "😀", "%F0%9F%98%80",
                        "a%20b", "*", "null", "-1", "0"));
        Arbitrary<String> paths = Combinators.combine(Arbitraries.of("/jobs/", "/batches/", "/jobs/%s/events",
                        "/run/", "/languages", "/stats", "/health", "/ready", "/", "/docs", "/openapi.json",
                        "/api/v2/runtimes", "/api/v2/execute", "/judge0/submissions/", "/judge0/languages/",
                        "/judge0/statuses", "/admin/keys/", "//jobs", "/jobs/../stats", "/JOBS", "/%6aobs"), ids)
                .as((path, id) -> path.contains("%s") ? path.formatted(id) : path.endsWith("/") ? path + id : path);
        Arbitrary<String> queries = Arbitraries.of("", "", "?wait=1", "?wait=0", "?wait=-5", "?wait=99999999999",
                "?wait=NaN", "?wait=1e3", "?wait=", "?wait=1&wait=2", "?encoding=base64", "?encoding=rot13",
                "?fields=*", "?tokens=a,b", "?base64_encoded=true", "?%zz", "?a=%", "?" + "q=1&".repeat(500));
        return Combinators.combine(methods, paths, queries).as((method, path, query) -> {
            boolean withBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
            List<String[]> headers = withBody ? List.<String[]>of(new String[] {"Content-Type", "application/json"}) : List.of();
            return new FuzzRequest(method, path + query, headers, withBody ? bytes("{}", StandardCharsets.UTF_8) : null,
                    -1, path.contains("😀"));
        });
    }

    @Provide
    Arbitrary<FuzzRequest> headerRequests() {
        Arbitrary<String[]> header = Arbitraries.of(
                new String[] {"Content-Type", "application/json"}, new String[] {"Content-Type", "text/html"},
                new String[] {"Content-Type", ""}, new String[] {"Content-Type", "application/json, text/plain"},
                new String[] {"Idempotency-Key", "k-1"}, new String[] {"Idempotency-Key", ""},
                new String[] {"Idempotency-Key", "x".repeat(201)}, new String[] {"Idempotency-Key", "é-key"},
                new String[] {"Idempotency-Key", "tab\tkey"}, new String[] {"Accept", "text/event-stream"},
                new String[] {"Accept", "application/xml"}, new String[] {"Accept-Encoding", "gzip, br"},
                new String[] {"Authorization", "Bearer "}, new String[] {"Authorization", "Bearer nope"},
                new String[] {"Authorization", "Basic Zm9vOmJhcg=="}, new String[] {"X-Auth-Token", "x"},
                new String[] {"Last-Event-ID", "garbage"}, new String[] {"X-Forwarded-For", "1.2.3.4, ::1"},
                new String[] {"Content-Length", "5"}, new String[] {"Content-Length", "-1"},
                new String[] {"Content-Length", "99999999999999"}, new String[] {"Transfer-Encoding", "chunked"},
                new String[] {"Expect", "100-continue"}, new String[] {"Expect", "200-ok"},
                new String[] {"Host", "evil.example"}, new String[] {"X-Big", "v".repeat(20_000)},
                new String[] {"Content-Encoding", "gzip"}, new String[] {"Connection", "upgrade"},
                new String[] {"Upgrade", "websocket"});
        return Combinators.combine(header.list().ofMinSize(1).ofMaxSize(4), Submissions.jobBody(),
                        Arbitraries.of("/jobs", "/batches", "/run/python"))
                .as((headers, body, target) -> {
                    String payload = target.equals("/batches") ? "{\"jobs\":[" + body + "]}" : body;
                    boolean broken = headers.stream().anyMatch(h -> h[0].equals("Content-Length")
                            || h[0].equals("Transfer-Encoding") || h[0].equals("Content-Encoding")
                            || h[1].length() > 8000 || h[0].equals("Host") || h[0].equals("Upgrade"));
                    byte[] bytes = bytes(payload, StandardCharsets.UTF_8);
                    // A framing header that claims more than is sent: end our side, or the server rightly waits.
                    boolean framing = headers.stream().anyMatch(h -> h[0].equals("Content-Length") || h[0].equals("Transfer-Encoding"));
                    return new FuzzRequest("POST", target, new ArrayList<>(headers), bytes, framing ? bytes.length : -1, broken);
                });
    }

    // --- helpers

    private static byte[] bytes(String text, java.nio.charset.Charset charset) {
        return text.getBytes(charset);
    }

    private static Map<Integer, Integer> statusCounts() {
        Map<Integer, Integer> counts = new TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        return counts;
    }

    private static void settle() throws InterruptedException {
        Thread.sleep(1000);
    }

    /** Thread count once idle pools have shrunk back (Jetty retires idle threads after its idle timeout). */
    private static long settleThreads() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        long threads;
        do {
            Thread.sleep(2000);
            threads = ManagementFactory.getThreadMXBean().getThreadCount();
        } while (threads > baselineThreads + 25 && System.currentTimeMillis() < deadline);
        return threads;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
