package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.JobFields;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's logs, read from real processes (WorkerMain and ApiMain in their own JVMs, real Redis, the real
 * runner images): job lines carry the job and the worker in both formats, LOG_FORMAT=json writes one
 * object a line, and an idle stack repeats no line.
 */
class LogLinesIT {
    private static final long IDLE_MS = 20_000;
    private Stack stack;

    @BeforeEach
    void start() {
        stack = Stack.start(0, 1);  // the API in this JVM submits; the worker under test is a process
        stack.publishLanguages();
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    private String submit(String language, String code, int wallTimeMs) {
        HttpResponse<String> response = stack.post("/jobs", Map.of("language", language, "code", code,
                "limits", Map.of("timeMs", 2000, "wallTimeMs", wallTimeMs)));
        assertEquals(202, response.statusCode(), response.body());
        return Stack.json(response).get("id").asText();
    }

    private void awaitStatus(String id, String status, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!status.equals(stack.redis.hget(RedisKeys.job(id), JobFields.STATUS))) {
            assertTrue(System.currentTimeMillis() < deadline, "job " + id + " never became " + status);
            Thread.sleep(100);
        }
    }

    /** Running, and past the cancel check at the start of its run: a cancel now kills the program. */
    private void awaitStarted(String id) throws InterruptedException {
        awaitStatus(id, "running", 120_000);
        long deadline = System.currentTimeMillis() + 60_000;
        while (stack.redis.llen(RedisKeys.executions(id)) == 0) {
            assertTrue(System.currentTimeMillis() < deadline, "job " + id + " never started");
            Thread.sleep(100);
        }
        Thread.sleep(2_000);  // the program sleeps 25 s
    }

    private static void awaitLine(WorkerProcess worker, String text, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!worker.log().contains(text)) {
            assertTrue(System.currentTimeMillis() < deadline, "no line with '" + text + "':\n" + worker.log());
            Thread.sleep(200);
        }
    }

    @Test
    void inJsonEveryLineIsAnObjectAndJobLinesCarryTheJobAndTheWorker() throws Exception {
        String workerId = "logs-json-" + System.nanoTime();
        Map<String, String> jobs = new LinkedHashMap<>();
        try (WorkerProcess worker = WorkerProcess.start(RedisTestServer.url(), workerId, 2, Map.of("LOG_FORMAT", "json"))) {
            jobs.put(submit("python", "print('ok')", 10_000), "ok");
            jobs.put(submit("c", "int main( { return 0; }", 10_000), "compile error");
            jobs.put(submit("python", "raise SystemExit(3)", 10_000), "runtime error");
            String cancelled = submit("python", "import time\ntime.sleep(25)", 30_000);
            jobs.put(cancelled, "cancelled");
            String lost = submit("python", "import time\ntime.sleep(25)", 30_000);
            jobs.put(lost, "lease lost");

            awaitStarted(cancelled);
            assertEquals(200, stack.delete("/jobs/" + cancelled).statusCode());
            awaitStarted(lost);
            // Another holder's claim: the next renewal is refused, the worker kills its run (two threads log it).
            stack.redis.hincrBy(RedisKeys.job(lost), JobFields.TOKEN, 1);
            awaitLine(worker, "lost: killing its run", 30_000);
            for (String id : jobs.keySet().stream().limit(3).toList()) {
                awaitStatus(id, "completed", 120_000);
            }
            assertTrue(worker.terminate(40), "the worker stopped");

            List<JsonNode> lines = new ArrayList<>();
            for (String raw : worker.log().lines().toList()) {
                JsonNode line;
                try {
                    line = Json.MAPPER.readTree(raw);
                } catch (IOException e) {
                    throw new AssertionError("not a JSON object: " + raw, e);
                }
                assertTrue(line.isObject(), raw);
                for (String field : List.of("timestamp", "level", "threadName", "loggerName", "formattedMessage")) {
                    assertTrue(line.has(field), field + " missing: " + raw);
                }
                assertEquals(workerId, line.path("mdc").path("worker").asText(), "every line names its worker: " + raw);
                lines.add(line);
            }
            assertTrue(lines.size() > 5, worker.log());
            Function<JsonNode, String> jobOf = line -> line.path("mdc").path("job").asText(null);
            for (JsonNode line : lines) {
                for (String id : jobs.keySet()) {
                    if (line.toString().contains(id)) {
                        assertEquals(id, jobOf.apply(line), "a line about job " + id + " (" + jobs.get(id) + ") carries it: " + line);
                    }
                }
            }
            Map<String, List<String>> byJob = lines.stream().filter(line -> jobOf.apply(line) != null)
                    .collect(Collectors.groupingBy(jobOf, Collectors.mapping(line -> line.get("formattedMessage").asText(),
                            Collectors.toList())));
            assertTrue(byJob.getOrDefault(cancelled, List.of()).contains("cancelled: its run was killed"), byJob.toString());
            assertTrue(byJob.getOrDefault(lost, List.of()).contains("lease (token 1) lost: killing its run"), byJob.toString());
            List<String> lostThreads = lines.stream().filter(line -> lost.equals(jobOf.apply(line)))
                    .map(line -> line.get("threadName").asText()).distinct().toList();
            assertTrue(lostThreads.contains("lease-keeper") && lostThreads.stream().anyMatch(t -> t.startsWith("processor-")),
                    "the lease keeper and the job's slot both say which job: " + lostThreads);
            assertFalse(byJob.containsKey(jobs.keySet().iterator().next()), "an ok job logs nothing: " + byJob);
        }
    }

    @Test
    void anIdleApiAndWorkerRepeatNoLine() throws Exception {
        String workerId = "logs-idle-" + System.nanoTime();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path apiLog = Files.createTempFile("codeexec-api-", ".log");
        Process api = startApi(port, apiLog);
        try (WorkerProcess worker = WorkerProcess.start(RedisTestServer.url(), workerId, 2, Map.of())) {
            awaitReady(port);
            awaitLine(worker, "ready (", 120_000);
            Thread.sleep(3_000);  // the last languages' probes and the first reaper pass
            int workerLinesBefore = worker.log().lines().toList().size();
            int apiLinesBefore = Files.readAllLines(apiLog).size();
            Thread.sleep(IDLE_MS);
            List<String> workerLines = worker.log().lines().toList();
            List<String> apiLines = Files.readAllLines(apiLog);
            assertTrue(api.isAlive(), String.join("\n", apiLines));

            assertNoRepeats("worker", workerLines);
            assertNoRepeats("api", apiLines);
            List<String> idleLines = new ArrayList<>(workerLines.subList(workerLinesBefore, workerLines.size()));
            idleLines.addAll(apiLines.subList(apiLinesBefore, apiLines.size()));
            System.out.printf("idle %d s: the worker logged %d lines, the API %d%n%s%n", IDLE_MS / 1000,
                    workerLines.size() - workerLinesBefore, apiLines.size() - apiLinesBefore, String.join("\n", idleLines));
            for (String line : workerLines) {
                if (line.matches("\\d{4}-.*")) {  // a log line (not a stack trace's)
                    assertTrue(line.endsWith(" worker=" + workerId), "text lines end in the worker's id: " + line);
                }
            }
            assertTrue(worker.terminate(40), "the worker stopped (and removed its sandbox hosts)");
        } finally {
            api.destroy();
            api.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBadLogFormatStopsBothProcessesNamingTheAllowedValues() throws Exception {
        for (String main : List.of("io.codeexec.worker.WorkerMain", "io.codeexec.api.ApiMain")) {
            Path log = Files.createTempFile("codeexec-bad-format-", ".log");
            ProcessBuilder builder = javaMain(main, log);
            builder.environment().put("REDIS_URL", RedisTestServer.url());
            builder.environment().put("LOG_FORMAT", "xml");
            Process process = builder.start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), main + " did not stop");
            String output = Files.readString(log);
            assertEquals(2, process.exitValue(), output);  // the exit code of every configuration error
            assertTrue(output.contains("LOG_FORMAT must be one of text, json, got 'xml'"), main + ": " + output);
        }
    }

    private static ProcessBuilder javaMain(String mainClass, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), mainClass);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder;
    }

    /** No line twice once its time stamp is cut off. */
    private static void assertNoRepeats(String who, List<String> lines) {
        Map<String, Long> counts = lines.stream().filter(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT.*"))
                .map(line -> line.substring(line.indexOf(' ') + 1))
                .collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()));
        List<String> repeated = counts.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getValue() + "x " + e.getKey()).toList();
        assertTrue(repeated.isEmpty(), who + " repeated lines: " + repeated + "\n" + String.join("\n", lines));
        assertFalse(counts.isEmpty(), who + " logged nothing in text form:\n" + String.join("\n", lines));
    }

    private static Process startApi(int port, Path log) throws IOException {
        ProcessBuilder builder = javaMain("io.codeexec.api.ApiMain", log);
        builder.environment().put("REDIS_URL", RedisTestServer.url());
        builder.environment().put("PORT", Integer.toString(port));
        return builder.start();
    }

    private static void awaitReady(int port) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertTrue(System.currentTimeMillis() < deadline, "the API never became ready");
            Thread.sleep(200);
        }
    }
}
