package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.Job;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Workers that die or are stopped lose no job and run none twice (real processes, Redis, Docker). */
class CrashRecoveryIT {
    private Stack stack;

    @BeforeEach
    void start() {
        stack = Stack.start(0, 2);
        stack.publishLanguages();
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    private long running(List<String> ids) {
        return ids.stream().filter(id -> "running".equals(stack.redis.hget(RedisKeys.job(id), "status"))).count();
    }

    private void awaitRunning(List<String> ids, int atLeast) throws InterruptedException {
        for (int i = 0; i < 600 && running(ids) < atLeast; i++) {
            Thread.sleep(100);
        }
        assertTrue(running(ids) >= atLeast, "jobs never started running");
    }

    @Test
    void killNineMidwayThenAnotherWorkerFinishesEverything() throws Exception {
        List<String> ids = Jobs.submitNumbered(stack, 20, 1.5);
        try (WorkerProcess doomed = WorkerProcess.start(RedisTestServer.url(), "doomed-" + System.nanoTime(), 4, Map.of())) {
            awaitRunning(ids, 3);
            doomed.kill();
            assertFalse(doomed.alive());
            assertTrue(stack.redis.llen(RedisKeys.processing(doomed.id)) > 0, "the dead worker held jobs");

            stack.addWorker("rescuer-" + System.nanoTime(), 4);
            List<Job> jobs = Jobs.awaitAllFinal(stack, ids, 180_000);
            Jobs.assertNumberedOutput(jobs);
            assertEquals("20", stack.redis.hget(RedisKeys.stats(), "completed"), "each job completed exactly once");
            assertEquals(0, stack.redis.llen(RedisKeys.processing(doomed.id)));
            assertFalse(stack.redis.sismember(RedisKeys.workers(), doomed.id), "the dead worker was reaped");
            assertEquals(0, DockerState.containersOfWorker(doomed.id), "its containers were removed");
        }
    }

    @Test
    void sigtermFinishesRunningJobsAndHandsBackTheRest() throws Exception {
        List<String> ids = Jobs.submitNumbered(stack, 6, 2);
        try (WorkerProcess leaving = WorkerProcess.start(RedisTestServer.url(), "leaving-" + System.nanoTime(), 2, Map.of())) {
            awaitRunning(ids, 2);
            assertTrue(leaving.terminate(40), "the worker stopped within its grace period");
            assertTrue(leaving.log().contains("stopped"), leaving.log());
            assertEquals(0, stack.redis.llen(RedisKeys.processing(leaving.id)), "nothing left in its processing list");
            assertFalse(stack.redis.exists(RedisKeys.heartbeat(leaving.id)), "it deregistered");
            long finished = ids.stream().filter(id -> "completed".equals(stack.redis.hget(RedisKeys.job(id), "status"))).count();
            assertTrue(finished >= 2, "the running jobs were finished, not abandoned: " + finished);

            String successor = stack.addWorker("successor-" + System.nanoTime(), 2).workerId();
            List<Job> jobs = Jobs.awaitAllFinal(stack, ids, 120_000);
            Jobs.assertNumberedOutput(jobs);
            for (String id : ids) {
                assertEquals("1", stack.redis.hget(RedisKeys.job(id), "attempts"), "job " + id + " ran once");
            }
            Thread.sleep(500);
            assertEquals(0, DockerState.containersOfWorker(leaving.id), "the stopped worker removed its sandbox hosts");
            assertEquals(0, DockerState.stoppedContainersOfWorker(successor), "the live one keeps only running hosts");
        }
    }
}
