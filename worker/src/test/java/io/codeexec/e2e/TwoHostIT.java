package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.worker.sandbox.Deployment;
import io.codeexec.worker.sandbox.DockerClients;
import io.codeexec.worker.sandbox.DockerSandbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many hosts (issue 12): two "hosts" on this machine, each with its own Docker engine and one worker
 * process, sharing one Redis. Host A is the machine's engine; host B is a second engine in a container
 * ({@link DockerInDocker}). Jobs spread over both; mid-run host B dies at once (its worker SIGKILLed,
 * its engine and every sandbox in it killed). Then: every job completes with its own output and is
 * stored once; only the jobs B held ran twice, and A ran them again only after their leases lapsed; A's
 * reaper unregisters B; and once A drains, A's engine holds no sandbox host of this deployment nor of B.
 * Executions are counted where they happen (codeexec:executions:{id}, one entry per run started).
 */
class TwoHostIT {
    /** Jobs kept waiting while both hosts start up: either host alone needs ~10 s to run them. */
    private static final int QUEUED_AHEAD = 12;
    private static final int MAX_JOBS = 80;
    /** B is killed within this long of starting a job that runs for JOB_SLEEP_SECONDS. */
    private static final long FRESH_MS = 500;
    private static final double JOB_SLEEP_SECONDS = 1.5;
    private static final String PYTHON_IMAGE = new LanguageCatalog(LanguageCatalog.DEFAULT_IMAGE_PREFIX,
            System.getenv().getOrDefault("RUNNER_IMAGE_TAG", LanguageCatalog.DEFAULT_IMAGE_TAG))
            .find("python").orElseThrow().image();
    private static final DockerClient MACHINE = DockerClients.connect(Stack.DOCKER_HOST, 1).control();

    private static DockerInDocker hostB;
    private static long engineStartMs;
    private static long imageLoadMs;

    @BeforeAll
    static void startSecondEngine() {
        long started = System.nanoTime();
        hostB = DockerInDocker.start("codeexec-two-host-" + System.nanoTime());
        long loading = System.nanoTime();
        hostB.load(PYTHON_IMAGE);  // the only runner image B gets: its worker serves python alone
        engineStartMs = (loading - started) / 1_000_000;
        imageLoadMs = (System.nanoTime() - loading) / 1_000_000;
    }

    @AfterAll
    static void removeSecondEngine() {
        if (hostB != null) {
            hostB.close();
        }
    }

    @Test
    void jobsSpreadOverTwoHostsAndSurviveTheLossOfOne() throws Exception {
        long started = System.nanoTime();
        String suffix = Long.toString(System.nanoTime());
        String idA = "host-a-" + suffix;
        String idB = "host-b-" + suffix;
        try (Stack stack = Stack.start(0, 2);
             WorkerProcess workerA = worker(idA, Stack.DOCKER_HOST);
             WorkerProcess workerB = worker(idB, hostB.dockerHost())) {
            stack.publishLanguages();

            // Both hosts take jobs: the queue is kept QUEUED_AHEAD deep (whichever worker is up first cannot
            // drain it alone) until B finished one and has just started another (so it surely holds a job
            // when it dies), and A runs one too. Then B dies.
            List<String> ids = new ArrayList<>();
            await(() -> {
                topUp(stack, ids);
                return completedBy(stack, ids, workerB.id) >= 1 && startedBy(stack, ids, workerA.id) >= 1
                        && runningOn(stack, workerB.id).stream().anyMatch(id -> startedAgoMs(stack, id) < FRESH_MS);
            }, 120_000, () -> "both hosts never ran jobs; A:\n" + workerA.log() + "\nB:\n" + workerB.log());
            assertTrue(containersOf(hostB.client(), workerB.id) > 0, "B's sandbox hosts run on B's engine");
            assertEquals(0, containersOf(MACHINE, workerB.id), "and none of them on A's");
            assertEquals(0, containersOf(hostB.client(), workerA.id), "A's sandbox hosts are not on B's engine");
            long beforeKill = System.nanoTime();

            workerB.kill();
            hostB.kill();
            Map<String, Long> heldByB = new HashMap<>();  // job id → its lease's end (Redis clock, ms)
            for (String id : runningOn(stack, workerB.id)) {
                heldByB.put(id, Long.parseLong(stack.redis.hget(RedisKeys.job(id), "leaseUntil")));
            }
            assertFalse(heldByB.isEmpty(), "B held running jobs when it died");
            int completedByB = completedBy(stack, ids, workerB.id);

            List<Job> jobs = Jobs.awaitAllFinal(stack, ids, 150_000);
            Jobs.assertNumberedOutput(jobs);
            assertEquals(Integer.toString(ids.size()), stack.redis.hget(RedisKeys.stats(), "completed"),
                    "each job was stored once");
            int ranTwice = 0;
            for (String id : ids) {
                List<String> executions = stack.redis.lrange(RedisKeys.executions(id), 0, -1);
                Map<String, String> job = stack.redis.hgetAll(RedisKeys.job(id));
                String last = executions.get(executions.size() - 1);
                assertEquals(job.get("worker") + ":" + job.get("completedToken"), last,
                        "the run that stored " + id + " is its last execution " + executions);
                assertEquals(Integer.toString(executions.size()), job.get("attempts"), id + " " + executions);
                if (executions.size() == 1) {
                    continue;
                }
                ranTwice++;
                assertTrue(heldByB.containsKey(id), "only a job the dead host held ran twice: " + id + " " + executions);
                assertEquals(List.of(workerB.id, workerA.id), executions.stream().map(TwoHostIT::workerOf).toList(),
                        "B's run, then A's: " + id);
            }
            for (Map.Entry<String, Long> held : heldByB.entrySet()) {
                Map<String, String> job = stack.redis.hgetAll(RedisKeys.job(held.getKey()));
                assertEquals(workerA.id, job.get("worker"), "A finished the job B held: " + job);
                long rerunAt = Instant.parse(job.get("startedAt")).toEpochMilli();
                assertTrue(rerunAt >= held.getValue(), "A ran " + held.getKey() + " again only after B's lease lapsed: "
                        + "started " + rerunAt + ", lease until " + held.getValue());
            }
            assertEquals(0, stack.redis.llen(RedisKeys.processing(workerA.id)), "A holds nothing");
            assertEquals(0, stack.redis.llen(RedisKeys.processing(workerB.id)), "B's processing list was emptied");

            await(() -> !stack.redis.sismember(RedisKeys.workers(), workerB.id), 30_000,
                    () -> "A's reaper never unregistered the dead B; A:\n" + workerA.log());
            assertTrue(workerA.terminate(60), "A drained and stopped");
            String deployment = Deployment.of(RedisTestServer.url());
            assertEquals(0, MACHINE.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Deployment.LABEL, deployment)).exec().size(),
                    "no sandbox host of this deployment is left on the surviving host");
            assertEquals(0, containersOf(MACHINE, workerB.id), "nor any of the dead host's worker");
            System.out.printf("two-host: second engine up in %d ms, %s loaded in %d ms; %d jobs, %d completed on B "
                            + "before it died, %d held by B (%d run twice) and finished by A; all done and A drained "
                            + "%d s after the kill, %d s after the workers started%n",
                    engineStartMs, PYTHON_IMAGE, imageLoadMs, ids.size(), completedByB, heldByB.size(), ranTwice,
                    (System.nanoTime() - beforeKill) / 1_000_000_000L, (System.nanoTime() - started) / 1_000_000_000L);
        } finally {
            // After a failure a SIGKILLed worker A leaves its warm hosts: this machine's engine is shared.
            for (String id : List.of(idA, idB)) {
                MACHINE.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(DockerSandbox.WORKER_LABEL, id))
                        .exec().forEach(c -> MACHINE.removeContainerCmd(c.getId()).withForce(true).exec());
            }
        }
    }

    /** Submits numbered jobs until QUEUED_AHEAD of them wait (at most MAX_JOBS in all). */
    private static void topUp(Stack stack, List<String> ids) {
        long queued = ids.stream().filter(id -> "queued".equals(stack.redis.hget(RedisKeys.job(id), "status"))).count();
        int more = (int) Math.min(QUEUED_AHEAD - queued, MAX_JOBS - ids.size());
        if (more > 0) {
            ids.addAll(Jobs.submitNumbered(stack, ids.size(), more, JOB_SLEEP_SECONDS));
        }
    }

    private static WorkerProcess worker(String id, String dockerHost) {
        return WorkerProcess.start(RedisTestServer.url(), id, 2, Map.of("DOCKER_HOST", dockerHost));
    }

    /** Ids in the worker's processing list whose job it runs under a lease right now. */
    private static List<String> runningOn(Stack stack, String workerId) {
        List<String> running = new ArrayList<>();
        for (String id : stack.redis.lrange(RedisKeys.processing(workerId), 0, -1)) {
            Map<String, String> job = stack.redis.hgetAll(RedisKeys.job(id));
            if ("running".equals(job.get("status")) && workerId.equals(job.get("worker")) && job.containsKey("leaseUntil")) {
                running.add(id);
            }
        }
        return running;
    }

    private static long startedAgoMs(Stack stack, String id) {
        String startedAt = stack.redis.hget(RedisKeys.job(id), "startedAt");
        return startedAt == null ? Long.MAX_VALUE : System.currentTimeMillis() - Instant.parse(startedAt).toEpochMilli();
    }

    private static int completedBy(Stack stack, List<String> ids, String workerId) {
        int count = 0;
        for (String id : ids) {
            Map<String, String> job = stack.redis.hgetAll(RedisKeys.job(id));
            if ("completed".equals(job.get("status")) && workerId.equals(job.get("worker"))) {
                count++;
            }
        }
        return count;
    }

    private static int startedBy(Stack stack, List<String> ids, String workerId) {
        int count = 0;
        for (String id : ids) {
            if (stack.redis.lrange(RedisKeys.executions(id), 0, -1).stream().anyMatch(e -> workerOf(e).equals(workerId))) {
                count++;
            }
        }
        return count;
    }

    private static String workerOf(String execution) {
        return execution.substring(0, execution.lastIndexOf(':'));
    }

    private static int containersOf(DockerClient engine, String workerId) {
        return engine.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerSandbox.WORKER_LABEL, workerId)).exec().size();
    }

    private static void await(BooleanSupplier condition, long timeoutMs, java.util.function.Supplier<String> why)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(why.get());
            }
            Thread.sleep(200);
        }
    }
}
