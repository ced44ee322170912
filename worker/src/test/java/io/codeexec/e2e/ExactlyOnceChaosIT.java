package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Exactly once, whatever happens (issue 9): jobs with callbacks, one graded job that legitimately runs
 * ~90 s, three healthy worker processes and one whose runner images are missing, while workers are
 * SIGKILLed (one with callbacks in flight), Redis is paused for 30 s and for 60 s, Redis is restarted
 * and jobs are cancelled throughout. Executions are counted where they happen (the worker records
 * each run's token in codeexec:executions:{id}), never inferred from counters the scripts keep.
 * Outcome: every accepted job completed or cancelled; a job ran more than once only when a worker
 * that ran it was killed; the long job ran once; every final job's callback was delivered; no
 * container left; nothing left in a processing list; every key that should expire has a TTL. Job count: -Dcodeexec.chaosJobs (default 400).
 */
class ExactlyOnceChaosIT {
    private static final int JOBS = Integer.getInteger("codeexec.chaosJobs", 400);
    private static final int LONG_TESTS = 12;

    @Test
    void exactlyOnceThroughKillsOutagesRestartsCancelsAndABrokenWorker() throws Exception {
        Random random = new Random(7);
        List<WorkerProcess> workers = new ArrayList<>();
        List<String> everyWorker = new ArrayList<>();
        Set<String> killed = new HashSet<>();
        int outages = 0;
        try (Receiver receiver = new Receiver(); Stack stack = Stack.start(0, 2)) {
            stack.publishLanguages();
            String longJob = submitLongGradedJob(stack, receiver.url());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                String code = (i % 10 == 0 ? "import time\ntime.sleep(3)\n" : "") + "print(" + i + ")";
                HttpResponse<String> response = stack.post("/jobs", Map.of("language", "python", "code", code,
                        "callbackUrl", receiver.url(), "limits", Map.of("wallTimeMs", 10_000)));
                assertEquals(202, response.statusCode(), response.body());
                ids.add(Stack.json(response).get("id").asText());
            }
            long started = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                workers.add(startWorker(everyWorker, "healthy-" + i, Map.of()));
            }
            workers.add(startWorker(everyWorker, "no-images", Map.of("RUNNER_IMAGE_TAG", "no-such-tag")));
            Set<String> cancelled = new HashSet<>();

            Thread.sleep(8_000);
            killOneHealthy(workers, killed, everyWorker, random, "replacement-a");
            cancelSome(stack, ids, cancelled, random, 10);
            Thread.sleep(4_000);
            RedisTestServer.pause();
            Thread.sleep(30_000);
            RedisTestServer.unpause();
            outages++;
            Thread.sleep(5_000);
            receiver.slow(1_500);  // callbacks are now in flight for a while: the next kill interrupts some
            Thread.sleep(3_000);
            killOneHealthy(workers, killed, everyWorker, random, "replacement-b");
            receiver.slow(0);
            cancelSome(stack, ids, cancelled, random, 10);
            Thread.sleep(4_000);
            RedisTestServer.pause();
            Thread.sleep(60_000);
            RedisTestServer.unpause();
            outages++;
            Thread.sleep(5_000);
            RedisTestServer.restart();
            outages++;
            cancelSome(stack, ids, cancelled, random, 10);

            List<String> all = new ArrayList<>(ids);
            all.add(longJob);
            List<Job> jobs = Jobs.awaitAllFinal(stack, all, 900_000);
            long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);

            // Every accepted job completed or cancelled; the completed ones printed their own number.
            int completed = 0;
            for (int i = 0; i < ids.size(); i++) {
                Job job = jobs.get(i);
                if (job.status() == JobStatus.CANCELLED) {
                    assertTrue(cancelled.contains(job.id()), "only jobs we cancelled are cancelled: " + job);
                    continue;
                }
                completed++;
                assertEquals(JobStatus.COMPLETED, job.status(), job.toString());
                assertEquals("ok", job.result().verdict().wireName(), job.toString());
                assertEquals(i + "\n", job.result().stdout(), job.toString());
            }
            JsonNode longResult = Stack.json(stack.get("/jobs/" + longJob));
            assertEquals("accepted", longResult.get("result").get("verdict").asText(), longResult.toString());

            // Executions, counted where they happen.
            Map<Long, Integer> attemptsHistogram = new TreeMap<>();
            int duplicates = 0;
            int recoveredFromKilled = 0;
            for (String id : all) {
                List<String> executions = stack.redis.lrange(RedisKeys.executions(id), 0, -1);
                String attempts = stack.redis.hget(RedisKeys.job(id), "attempts");
                long attemptCount = attempts == null ? 0 : Long.parseLong(attempts);
                attemptsHistogram.merge(attemptCount, 1, Integer::sum);
                for (int e = 0; e < executions.size() - 1; e++) {
                    String worker = executions.get(e).substring(0, executions.get(e).lastIndexOf(':'));
                    if (!killed.contains(worker)) {
                        duplicates++;
                        System.out.printf("duplicate execution of %s: %s%n", id, executions);
                    }
                }
                if (executions.size() > 1) {
                    recoveredFromKilled++;
                }
                if (!cancelled.contains(id)) {
                    assertEquals(executions.size(), attemptCount, "attempts = executions for " + id + " " + executions);
                }
            }
            assertEquals(1, stack.redis.llen(RedisKeys.executions(longJob)), "the 90 s graded job ran once");
            assertEquals("1", stack.redis.hget(RedisKeys.job(longJob), "attempts"));

            // Every final job's callback was delivered.
            List<String> undelivered = receiver.awaitAll(all, 120_000);
            assertEquals(List.of(), undelivered, "callbacks never delivered");

            System.out.printf("chaos-exactly-once: %d jobs (+1 graded of %d tests), %d completed, %d cancelled, "
                            + "%d kills, %d Redis outages (30 s pause, 60 s pause, restart), attempts histogram %s, "
                            + "%d recovered from killed workers, %d duplicate executions, %d callbacks delivered "
                            + "(%d repeated deliveries), %d s%n",
                    JOBS, LONG_TESTS, completed, cancelled.size(), killed.size(), outages, attemptsHistogram,
                    recoveredFromKilled, duplicates, receiver.delivered(), receiver.repeats(), seconds);
            assertEquals(0, duplicates, "no job ran twice unless a worker running it was killed");
            assertEquals(List.of(), processingListsWithJobs(stack), "nothing left claimed");

            // The killed workers' sandbox hosts are removed by the survivors once the reaper finds them dead.
            long sweepDeadline = System.currentTimeMillis() + 120_000;
            while (killed.stream().mapToInt(DockerState::containersOfWorker).sum() > 0
                    && System.currentTimeMillis() < sweepDeadline) {
                Thread.sleep(1_000);
            }
            assertEquals(0, killed.stream().mapToInt(DockerState::containersOfWorker).sum(),
                    "the hosts of killed workers were removed by the survivors");
            for (WorkerProcess worker : workers) {
                assertTrue(worker.terminate(90), "worker " + worker.id + " stopped gracefully");
            }
            Thread.sleep(1_000);
            int left = everyWorker.stream().mapToInt(DockerState::containersOfWorker).sum();
            assertEquals(0, left, "no container left by any worker, killed or stopped");
            assertEquals(List.of(), keysWithoutTtl(stack, all), "keys that should expire all have a TTL");
        } finally {
            for (WorkerProcess worker : workers) {
                worker.close();
            }
        }
    }

    private static String submitLongGradedJob(Stack stack, String callbackUrl) {
        List<Map<String, Object>> tests = new ArrayList<>();
        for (int t = 0; t < LONG_TESTS; t++) {
            tests.add(Map.of("name", "t" + t, "stdin", Integer.toString(t), "expectedOutput", Integer.toString(t)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("language", "python");
        body.put("code", "import time\nn = input()\ntime.sleep(7.2)\nprint(n)");
        body.put("tests", tests);
        body.put("callbackUrl", callbackUrl);
        body.put("limits", Map.of("timeMs", 2000, "wallTimeMs", 9000));
        HttpResponse<String> response = stack.post("/jobs", body);
        assertEquals(202, response.statusCode(), response.body());
        return Stack.json(response).get("id").asText();
    }

    private static WorkerProcess startWorker(List<String> everyWorker, String name, Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("CALLBACK_ALLOW_PRIVATE", "true");
        all.put("SHUTDOWN_GRACE_SECONDS", "60");
        WorkerProcess worker = WorkerProcess.start(RedisTestServer.url(), name + "-" + System.nanoTime(), 2, all);
        everyWorker.add(worker.id);
        return worker;
    }

    private static void killOneHealthy(List<WorkerProcess> workers, Set<String> killed, List<String> everyWorker,
                                       Random random, String replacement) throws InterruptedException {
        List<WorkerProcess> healthy = workers.stream().filter(w -> !w.id.startsWith("no-images")).toList();
        WorkerProcess victim = healthy.get(random.nextInt(healthy.size()));
        victim.kill();
        workers.remove(victim);
        killed.add(victim.id);
        workers.add(startWorker(everyWorker, replacement, Map.of()));
    }

    private static void cancelSome(Stack stack, List<String> ids, Set<String> cancelled, Random random, int count) {
        for (int i = 0; i < count; i++) {
            String id = ids.get(random.nextInt(ids.size()));
            int status = stack.delete("/jobs/" + id).statusCode();
            if (status == 200 || status == 202) {
                JsonNode job = Stack.json(stack.get("/jobs/" + id));
                if ("cancelled".equals(job.get("status").asText())) {
                    cancelled.add(id);
                }
            }
        }
    }

    private static List<String> processingListsWithJobs(Stack stack) {
        List<String> nonEmpty = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = stack.redis.scan(cursor, new ScanParams().match(RedisKeys.processing("*")).count(100));
            for (String key : page.getResult()) {
                if (stack.redis.llen(key) > 0) {
                    nonEmpty.add(key + "=" + stack.redis.lrange(key, 0, -1));
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return nonEmpty;
    }

    /** Keys of these jobs (hash, executions) and of every batch that have no TTL though they should. */
    private static List<String> keysWithoutTtl(Stack stack, List<String> ids) {
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            for (String key : List.of(RedisKeys.job(id), RedisKeys.executions(id))) {
                if (stack.redis.exists(key) && stack.redis.ttl(key) < 0) {
                    missing.add(key);
                }
            }
        }
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = stack.redis.scan(cursor, new ScanParams().match("codeexec:batch*").count(500));
            for (String key : page.getResult()) {
                if (stack.redis.ttl(key) < 0) {
                    missing.add(key);
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return missing;
    }

    /** A grader's endpoint: counts deliveries per job id; can answer slowly to keep deliveries in flight. */
    private static final class Receiver implements AutoCloseable {
        private final HttpServer server;
        private final Map<String, AtomicInteger> byId = new ConcurrentHashMap<>();
        private volatile long delayMs;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                JsonNode document = Json.MAPPER.readTree(body);
                byId.computeIfAbsent(document.get("id").asText(), k -> new AtomicInteger()).incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        void slow(long millis) {
            delayMs = millis;
        }

        int delivered() {
            return byId.size();
        }

        int repeats() {
            return byId.values().stream().mapToInt(count -> count.get() - 1).sum();
        }

        List<String> awaitAll(List<String> ids, long timeoutMs) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            List<String> missing;
            do {
                missing = ids.stream().filter(id -> !byId.containsKey(id)).toList();
                if (missing.isEmpty()) {
                    return missing;
                }
                Thread.sleep(250);
            } while (System.currentTimeMillis() < deadline);
            return Collections.unmodifiableList(missing.subList(0, Math.min(10, missing.size())));
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
