package io.codeexec.e2e;

import static io.codeexec.e2e.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The v1 jobs API end to end: submit, poll, wait, cancel, streams and concurrency on real workers. */
class JobsEndToEndIT {
    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start(2, 2);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static JsonNode submitAndWait(Map<String, Object> job) {
        HttpResponse<String> response = stack.post("/jobs?wait=30", job);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals("completed", body.get("status").asText(), body.toString());
        return body.get("result");
    }

    @Test
    void submitThenPollUntilCompleted() throws InterruptedException {
        HttpResponse<String> accepted = stack.post("/jobs", Map.of("language", "python", "code", "print(6 * 7)"));
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = json(accepted).get("id").asText();
        assertEquals("/jobs/" + id, accepted.headers().firstValue("Location").orElseThrow());
        JsonNode job = null;
        for (int i = 0; i < 200; i++) {
            job = json(stack.get("/jobs/" + id));
            if (job.get("status").asText().equals("completed")) {
                break;
            }
            Thread.sleep(100);
        }
        assertNotNull(job);
        assertEquals("completed", job.get("status").asText(), job.toString());
        assertEquals("42\n", job.get("result").get("stdout").asText());
        assertEquals("ok", job.get("result").get("verdict").asText());
        assertNotNull(job.get("startedAt").asText());
        assertTrue(job.get("finishedAt").asText().endsWith("Z"), job.toString());
    }

    @Test
    void longPollReturnsTheFinishedJob() {
        String id = json(stack.post("/jobs", Map.of("language", "ruby", "code", "puts 1 + 1"))).get("id").asText();
        HttpResponse<String> response = stack.get("/jobs/" + id + "?wait=30");
        assertEquals(200, response.statusCode());
        assertEquals("2\n", json(response).get("result").get("stdout").asText(), response.body());
    }

    @Test
    void programReadsAllOfStdinUntilEndOfFile() {
        StringBuilder stdin = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            stdin.append(i).append('\n');
        }
        JsonNode result = submitAndWait(Map.of("language", "python",
                "code", "import sys\nnums = [int(l) for l in sys.stdin]\nprint(len(nums), sum(nums))",
                "stdin", stdin.toString()));
        assertEquals("20000 199990000\n", result.get("stdout").asText());
    }

    @Test
    void stdoutStderrAndExitCodeAreSeparate() {
        JsonNode result = submitAndWait(Map.of("language", "javascript",
                "code", "console.log('to out'); console.error('to err'); process.exit(7)"));
        assertEquals("to out\n", result.get("stdout").asText());
        assertEquals("to err\n", result.get("stderr").asText());
        assertEquals(7, result.get("exitCode").asInt());
        assertEquals("runtime_error", result.get("verdict").asText());
    }

    @Test
    void argumentsReachTheProgram() {
        JsonNode result = submitAndWait(Map.of("language", "python",
                "code", "import sys\nprint(sys.argv[1:])", "args", List.of("a b", "--c")));
        assertEquals("['a b', '--c']\n", result.get("stdout").asText());
    }

    @Test
    void cancellingARunningJobKillsIt() throws InterruptedException {
        String id = json(stack.post("/jobs", Map.of("language", "python",
                "code", "import time\nprint('started', flush=True)\ntime.sleep(25)",
                "limits", Map.of("timeMs", 5000, "wallTimeMs", 28000)))).get("id").asText();
        for (int i = 0; i < 100 && !json(stack.get("/jobs/" + id)).get("status").asText().equals("running"); i++) {
            Thread.sleep(100);
        }
        long before = System.nanoTime();
        HttpResponse<String> cancelled = stack.delete("/jobs/" + id);
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals("cancelled", json(cancelled).get("status").asText());
        assertEquals(409, stack.delete("/jobs/" + id).statusCode());
        // The worker kills the job's sandbox host (and removes it): its slot is free again long before the
        // program's 25 s sleep.
        for (int i = 0; i < 100 && stack.leftoverContainers() > 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, stack.leftoverContainers(), "the cancelled job's container is gone");
        assertTrue(System.nanoTime() - before < 15_000_000_000L);
        assertEquals("cancelled", json(stack.get("/jobs/" + id)).get("status").asText());
    }

    @Test
    void twentyConcurrentJobsAllCompleteWithTheirOwnOutput() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<CompletableFuture<JsonNode>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                results.add(CompletableFuture.supplyAsync(() -> submitAndWait(Map.of("language", "python",
                        "code", "import sys\nprint(int(sys.stdin.read()) ** 2)", "stdin", Integer.toString(n))), clients));
            }
            for (int i = 0; i < 20; i++) {
                JsonNode result = results.get(i).get();
                assertEquals("ok", result.get("verdict").asText(), result.toString());
                assertEquals((i * i) + "\n", result.get("stdout").asText());
            }
        } finally {
            clients.shutdownNow();
        }
        Thread.sleep(500);
        assertEquals(0, stack.leftoverContainers(), "no runner container is left behind");
    }

    @Test
    void binaryOutputStaysValidJsonAndBase64GivesTheExactBytes() {
        String id = json(stack.post("/jobs", Map.of("language", "python",
                "code", "import sys\nsys.stdout.buffer.write(bytes([0, 255, 254, 97]))"))).get("id").asText();
        JsonNode text = json(stack.get("/jobs/" + id + "?wait=30")).get("result");
        assertEquals("ok", text.get("verdict").asText(), text.toString());
        assertEquals("\u0000\uFFFD\uFFFDa", text.get("stdout").asText());
        JsonNode exact = json(stack.get("/jobs/" + id + "?encoding=base64")).get("result");
        assertEquals("AP/+YQ==", exact.get("stdout").asText());
        assertEquals("base64", exact.get("encoding").asText());
        assertEquals(400, stack.get("/jobs/" + id + "?encoding=latin1").statusCode());
    }

    @Test
    void theJobDocumentSaysWhereTheTimeWent() {
        JsonNode job = json(stack.post("/jobs?wait=30", Map.of("language", "python", "code", "print(1)")));
        JsonNode timings = job.get("timings");
        assertNotNull(timings, job.toString());
        for (String phase : List.of("apiMs", "queuedMs", "acquireMs", "runMs", "recycleMs", "totalMs")) {
            assertTrue(timings.has(phase) && timings.get(phase).asLong() >= 0, phase + " in " + timings);
        }
        assertTrue(job.get("result").get("cpuTimeMs").asLong() >= 0);
        assertTrue(job.get("result").get("memoryKb").asLong() > 0);
    }

    @Test
    void languagesCarryVersionsReadFromTheImages() {
        JsonNode languages = json(stack.get("/languages"));
        assertEquals(8, languages.size(), languages.toString());
        assertEquals("python", languages.get(0).get("id").asText());
        for (JsonNode language : languages) {
            assertTrue(language.get("version").asText().matches("\\d+(\\.\\d+)+"), language.toString());
            assertEquals(List.of("c", "cpp", "java", "go", "rust").contains(language.get("id").asText()),
                    language.get("compiled").asBoolean(), language.toString());
        }
    }

    @Test
    void limitAboveTheMaximumIsRejectedNamingFieldAndMaximum() {
        HttpResponse<String> response = stack.post("/jobs", Map.of("language", "python", "code", "print(1)",
                "limits", Map.of("memoryMb", 4096)));
        assertEquals(400, response.statusCode());
        JsonNode error = json(response).get("error");
        assertEquals("limits.memoryMb", error.get("field").asText());
        assertTrue(error.get("message").asText().contains("1024"), error.toString());
        assertFalse(response.body().contains("Exception"));
    }
}
