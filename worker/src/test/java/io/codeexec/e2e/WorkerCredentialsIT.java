package io.codeexec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisWithArgs;
import io.codeexec.worker.Launcher;
import io.codeexec.worker.WorkerConfig;
import io.codeexec.worker.callback.CallbackConfig;
import io.codeexec.worker.sandbox.SandboxConfig;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * A real worker whose password Redis refuses claims nothing (and registers nothing) while refused;
 * once Redis accepts that password, it starts and runs the waiting job.
 */
class WorkerCredentialsIT {
    @Test
    void aRefusedWorkerClaimsNothingUntilRedisAcceptsIt() throws Exception {
        try (RedisWithArgs server = RedisWithArgs.builder().args("--requirepass", "first-pw").start()) {
            String address = server.host() + ":" + server.port();
            try (UnifiedJedis redis = new RedisConnector("redis://:first-pw@" + address).client(2)) {
                JobQueue queue = new JobQueue(redis, 100, 3600, Clock.systemUTC());
                String id = queue.submit(new JobRequest("python", "print(6*7)", "", List.of(),
                        LimitPolicy.standard().defaults(), null));

                String workerId = "refused-worker-" + System.nanoTime();
                WorkerConfig config = new WorkerConfig("redis://:rotated-pw@" + address, workerId, 1, 3600, 3, 10,
                        new LanguageCatalog(LanguageCatalog.DEFAULT_IMAGE_PREFIX,
                                System.getenv().getOrDefault("RUNNER_IMAGE_TAG", LanguageCatalog.DEFAULT_IMAGE_TAG)),
                        SandboxConfig.of(Stack.DOCKER_HOST, "runc", SandboxConfig.Isolation.NESTED, workerId),
                        CallbackConfig.defaults());
                Launcher launcher = new Launcher(config);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread starting = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        launcher.start();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                try {
                    starting.join(6_000);
                    assertTrue(starting.isAlive(), "the worker started although Redis refuses its password");
                    assertEquals("queued", redis.hget(RedisKeys.job(id), "status"));
                    assertEquals(1, redis.llen(RedisKeys.pending()));
                    assertEquals(0, redis.scard(RedisKeys.workers()), "the refused worker registered itself");

                    redis.configSet("requirepass", "rotated-pw");  // the operator rotates Redis's password
                    try (UnifiedJedis rotated = new RedisConnector("redis://:rotated-pw@" + address).client(2)) {
                        awaitRun(starting, failure, rotated, id);
                    }
                } finally {
                    starting.interrupt();  // a start still waiting gives up (a finished one ignores it)
                    starting.join(30_000);
                    launcher.close();  // close, not stop: stop leaves the callback reader and Redis clients running
                }
            }
        }
    }

    private static void awaitRun(Thread starting, AtomicReference<Throwable> failure, UnifiedJedis redis, String id)
            throws InterruptedException {
        starting.join(20_000);
        assertTrue(!starting.isAlive() && failure.get() == null, "the worker did not start: " + failure.get());
        long deadline = System.nanoTime() + 180_000_000_000L;
        String status;
        while (!"completed".equals(status = redis.hget(RedisKeys.job(id), "status")) && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertEquals("completed", status, redis.hgetAll(RedisKeys.job(id)).toString());
        assertEquals(1, redis.llen(RedisKeys.executions(id)));
    }
}
