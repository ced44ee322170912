package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.Job;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Many jobs through three worker processes while workers are killed with SIGKILL at random and
 * replaced: every job reaches exactly one final state with its own output, nothing stays in a
 * processing list and no container is left. Job count: -Dcodeexec.chaosJobs (default 2000).
 */
class ChaosIT {
    private static final int JOBS = Integer.getInteger("codeexec.chaosJobs", 2000);
    private static final int KILLS = 3;

    @Test
    void everyJobCompletesExactlyOnceDespiteRandomWorkerKills() throws Exception {
        Random random = new Random(42);
        List<WorkerProcess> workers = new ArrayList<>();
        List<String> everyWorker = new ArrayList<>();
        try (Stack stack = Stack.start(0, 2)) {
            stack.publishLanguages();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                ids.add(Stack.json(stack.post("/jobs", Map.of("language", "python", "code", "print(" + i + ")")))
                        .get("id").asText());
            }
            long started = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                workers.add(startWorker(everyWorker, "chaos-" + i));
            }
            for (int kill = 0; kill < KILLS; kill++) {
                Thread.sleep(8_000);
                WorkerProcess victim = workers.remove(random.nextInt(workers.size()));
                victim.kill();
                workers.add(startWorker(everyWorker, "chaos-replacement-" + kill));
            }
            List<Job> jobs = Jobs.awaitAllFinal(stack, ids, 1_200_000);
            long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
            System.out.printf("chaos: %d jobs, %d kills, %d s, %.1f jobs/s%n", JOBS, KILLS, seconds, (double) JOBS / seconds);

            Jobs.assertNumberedOutput(jobs);
            assertEquals(JOBS, Set.copyOf(ids).size(), "distinct ids");
            assertEquals(Integer.toString(JOBS), stack.redis.hget(RedisKeys.stats(), "completed"),
                    "exactly one stored result per job");
            long requeued = ids.stream().filter(id -> !"1".equals(stack.redis.hget(RedisKeys.job(id), "attempts"))).count();
            System.out.printf("chaos: %d jobs were recovered from killed workers%n", requeued);
            assertEquals(List.of(), processingListsWithJobs(stack));
            for (WorkerProcess worker : workers) {
                assertTrue(worker.terminate(60), "worker " + worker.id + " stopped gracefully");
            }
            Thread.sleep(1_000);
            int left = everyWorker.stream().mapToInt(DockerState::containersOfWorker).sum();
            assertEquals(0, left, "no runner container left by any worker, killed or stopped");
        } finally {
            for (WorkerProcess worker : workers) {
                worker.close();
            }
        }
    }

    private static WorkerProcess startWorker(List<String> everyWorker, String name) {
        WorkerProcess worker = WorkerProcess.start(RedisTestServer.url(), name + "-" + System.nanoTime(), 2, Map.of());
        everyWorker.add(worker.id);
        return worker;
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
}
