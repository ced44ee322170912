package io.codeexec.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.queue.JobFields;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.worker.sandbox.RunOutcome;
import io.codeexec.worker.sandbox.Sandbox;
import io.codeexec.worker.sandbox.SandboxConfig;
import io.codeexec.worker.sandbox.SandboxUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

// One slot against a real Redis, with a scripted Sandbox standing in for Docker: what the slot does with
// each kind of failure is the logic under test (the sandbox itself has its own suites).
class ProcessorIT {
    private static final String WORKER = "slot-test";
    private static final JobResult OK = new JobResult(Verdict.OK, 0, null, "ok\n", "", false, false, 5L, 4L, 1000L, null);

    private RedisClient redis;
    private JobQueue queue;
    private WorkerHealth health;
    private LeaseKeeper leases;
    private ScriptedSandbox sandbox;
    private Processor processor;
    private Thread thread;

    @BeforeEach
    void setUp() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(4);
        redis.flushAll();
        queue = new JobQueue(redis, 100, 3600, Clock.systemUTC());
        health = new WorkerHealth(Duration.ofMillis(300));
        leases = new LeaseKeeper(queue, 200).start();
        sandbox = new ScriptedSandbox();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (processor != null) {
            processor.stop();
            thread.join(10_000);
        }
        leases.close();
        redis.close();
    }

    private void startSlot(Limits maxima) {
        WorkerConfig config = new WorkerConfig(RedisTestServer.url(), WORKER, 1, 3600, 3, 5,
                new LanguageCatalog(LanguageCatalog.DEFAULT_IMAGE_PREFIX, LanguageCatalog.DEFAULT_IMAGE_TAG),
                SandboxConfig.of("unix:///var/run/docker.sock", "runc", SandboxConfig.Isolation.NESTED, WORKER));
        processor = new Processor(config, queue, sandbox, health, leases, maxima);
        thread = new Thread(processor, "processor-under-test");
        thread.start();
    }

    private void startSlot() {
        startSlot(LimitPolicy.standard().maxima());
    }

    private String submit(String code) {
        return queue.submit(new JobRequest("python", code, "", List.of(), LimitPolicy.standard().defaults()));
    }

    private String field(String id, String name) {
        return redis.hget(RedisKeys.job(id), name);
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private void awaitCompleted(String id) throws InterruptedException {
        await("job " + id + " completed", () -> "completed".equals(field(id, JobFields.STATUS)));
    }

    @Test
    void anErrorInASlotEndsThatJobAsInternalErrorNamingItAndTheSlotServesOn() throws Exception {
        sandbox.behaviour = code -> {
            if (code.equals("explode")) {
                throw new StackOverflowError("deep");
            }
            return OK;
        };
        startSlot();
        String exploding = submit("explode");
        awaitCompleted(exploding);
        assertEquals("internal_error", field(exploding, JobFields.VERDICT));
        assertTrue(field(exploding, JobFields.RESULT).contains("java.lang.StackOverflowError: deep"),
                field(exploding, JobFields.RESULT));
        String next = submit("print(1)");
        awaitCompleted(next);
        assertEquals("ok", field(next, JobFields.VERDICT), "the slot kept serving");
    }

    @Test
    void anUnreadableStoredRequestEndsAsInternalErrorAndTheSlotServesOn() throws Exception {
        String broken = queue.submit(new JobRequest("python", "x", "", List.of(), LimitPolicy.standard().defaults()));
        redis.hset(RedisKeys.job(broken), JobFields.REQUEST, "\u0000garbage{");
        startSlot();
        awaitCompleted(broken);
        assertEquals("internal_error", field(broken, JobFields.VERDICT));
        String next = submit("print(1)");
        awaitCompleted(next);
        assertEquals("ok", field(next, JobFields.VERDICT));
        assertEquals(1, sandbox.runs.get(), "the broken job never ran");
    }

    @Test
    void storedLimitsAboveThisWorkersMaximaAreRefusedNamingTheLimit() throws Exception {
        Limits standard = LimitPolicy.standard().maxima();
        startSlot(new Limits(standard.timeMs(), standard.wallTimeMs(), 64, standard.outputBytes(), standard.processes(),
                standard.fileBytes(), standard.compileTimeMs(), standard.compileMemoryMb()));
        String id = submit("print(1)");  // default memoryMb 128
        awaitCompleted(id);
        assertEquals("internal_error", field(id, JobFields.VERDICT));
        assertTrue(field(id, JobFields.RESULT).contains("memoryMb = 128"), field(id, JobFields.RESULT));
        assertEquals(0, sandbox.runs.get());
    }

    @Test
    void eachRunIsRecordedWithItsTokenAndItsLeaseRenewedWhileItRuns() throws Exception {
        sandbox.behaviour = code -> {
            sleep(1_000);
            return OK;
        };
        startSlot();
        String id = submit("slow");
        await("running", () -> "running".equals(field(id, JobFields.STATUS)));
        long first = Long.parseLong(field(id, JobFields.LEASE_UNTIL));
        await("a renewal", () -> {
            String until = field(id, JobFields.LEASE_UNTIL);
            return until == null || Long.parseLong(until) > first;
        });
        awaitCompleted(id);
        assertEquals(List.of(WORKER + ":1"), redis.lrange(RedisKeys.executions(id), 0, -1));
        assertEquals("1", field(id, JobFields.ATTEMPTS));
    }

    @Test
    void aLostLeaseKillsTheRunAndItsResultIsRefused() throws Exception {
        CountDownLatch killed = new CountDownLatch(1);
        sandbox.onCancel = killed::countDown;
        sandbox.behaviour = code -> {
            try {
                killed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SandboxUnavailableException("the container was killed", null);  // as the real sandbox may
        };
        startSlot();
        String id = submit("long");
        await("running", () -> redis.llen(RedisKeys.executions(id)) > 0);
        redis.hincrBy(RedisKeys.job(id), JobFields.TOKEN, 1);  // claimed again elsewhere
        assertTrue(killed.await(5, TimeUnit.SECONDS), "the run was killed");
        Thread.sleep(300);
        assertEquals("running", field(id, JobFields.STATUS), "the stale result was refused");
        assertEquals(null, field(id, JobFields.RESULT));
        assertTrue(health.engineUsable(), "a killed run says nothing about the engine");
        assertEquals(null, field(id, JobFields.RELEASES), "nor is the job released: someone else holds it");
    }

    @Test
    void aMissingImageReleasesTheJobStepsAsideForTheLanguageAndComesBackAfterAProbe() throws Exception {
        sandbox.imagePresent = false;
        startSlot();
        String first = submit("print(1)");
        await("released", () -> "1".equals(field(first, JobFields.RELEASES)));
        assertEquals("0", field(first, JobFields.ATTEMPTS), "a release is not an attempt");
        assertFalse(health.serves("python"));
        assertEquals(Map.of("languages", List.of("python"), "engine", "ok"), health.describe().get("stepAside"));
        String second = submit("print(2)");
        await("second released", () -> "1".equals(field(second, JobFields.RELEASES)));
        assertEquals(1, sandbox.calls.get(), "the second job was released without trying to run it");
        assertEquals(List.of(), redis.lrange(RedisKeys.executions(second), 0, -1));

        sandbox.imagePresent = true;  // the image is pulled: the next probe brings the language back
        awaitCompleted(first);
        awaitCompleted(second);
        assertEquals("ok", field(second, JobFields.VERDICT));
        assertTrue(health.serves("python"));
        assertEquals("1", field(second, JobFields.ATTEMPTS));
    }

    @Test
    void anUnreachableEngineStopsAllClaimsUntilAProbeSucceeds() throws Exception {
        sandbox.engineUp = false;
        startSlot();
        String first = submit("print(1)");
        await("released", () -> "1".equals(field(first, JobFields.RELEASES)));
        assertFalse(health.engineUsable());
        Thread.sleep(2_500);  // past the release delay: a claiming slot would have taken it again
        assertEquals("1", field(first, JobFields.RELEASES), "nothing claimed while the engine is down");
        assertEquals("queued", field(first, JobFields.STATUS));
        // Found by the soak: the lease kept being renewed after the job was given back, the renewal was
        // refused, and the "lost" lease killed the next run of the same job on this worker (internal_error).
        assertEquals(Map.of(), sandbox.cancelled, "nothing is killed for a lease this worker gave back itself");

        sandbox.engineUp = true;
        awaitCompleted(first);
        assertEquals("ok", field(first, JobFields.VERDICT));
        assertTrue(health.engineUsable());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs nothing: answers as told, and fails like the real sandbox when its engine or image is gone. */
    private static final class ScriptedSandbox implements Sandbox {
        volatile Function<String, JobResult> behaviour = code -> OK;
        volatile boolean imagePresent = true;
        volatile boolean engineUp = true;
        volatile Runnable onCancel = () -> { };
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final Map<String, Boolean> cancelled = new ConcurrentHashMap<>();

        @Override
        public JobResult run(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted) {
            return runWithOutput(jobId, language, request, stillWanted).result();
        }

        @Override
        public RunOutcome runWithOutput(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted) {
            calls.incrementAndGet();
            check(language);
            runs.incrementAndGet();
            return new RunOutcome(behaviour.apply(request.code()), null);
        }

        private void check(Language language) {
            if (!engineUp) {
                throw new SandboxUnavailableException("cannot reach the Docker engine", null);
            }
            if (!imagePresent) {
                throw SandboxUnavailableException.imageMissing("image " + language.image() + " is missing", null);
            }
        }

        @Override
        public boolean cancel(String jobId) {
            cancelled.put(jobId, true);
            onCancel.run();
            return true;
        }

        @Override
        public int cancelAll() {
            return 0;
        }

        @Override
        public String probeVersion(Language language) {
            check(language);
            return "3.12";
        }
    }
}
