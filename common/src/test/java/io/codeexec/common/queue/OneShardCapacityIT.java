package io.codeexec.common.queue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.config.RedisTls;
import io.codeexec.common.config.RedisUrl;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.testing.RedisWithArgs;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * How far one Redis carries us: every job costs Redis one submit, one claim and one complete, and Redis
 * runs commands on one thread, so its CPU per job bounds jobs/s for the whole system. Runs each phase
 * alone against a fresh Redis and reads the server's own time per phase (INFO commandstats), besides
 * the wall-clock rate this JVM achieves. A measurement, not a check: -Dcodeexec.shardBench=true.
 */
@EnabledIfSystemProperty(named = "codeexec.shardBench", matches = "true")
class OneShardCapacityIT {
    private static final int JOBS = Integer.getInteger("codeexec.shardBench.jobs", 20_000);
    private static final int THREADS = Integer.getInteger("codeexec.shardBench.threads", 8);
    private static final JobResult OK = new JobResult(Verdict.OK, 0, null, "1\n", "", false, false, 5L, 4L, 1000L, null);

    @Test
    void measure() throws Exception {
        try (RedisWithArgs redis = RedisWithArgs.builder().args("--appendonly", "yes", "--appendfsync", "everysec").start()) {
            RedisConnector connector = new RedisConnector(RedisUrl.parse("redis://" + redis.host() + ":" + redis.port()),
                    RedisTls.JVM_DEFAULTS);
            try (UnifiedJedis client = connector.client(THREADS); Jedis admin = connector.single()) {
                JobQueue queue = new JobQueue(client, Long.MAX_VALUE, 3600, Clock.systemUTC());
                JobRequest request = new JobRequest("python", "print(1)", "", List.of(), LimitPolicy.standard().defaults(), null);
                AtomicLong submitted = new AtomicLong();
                phase("submit", admin, () -> {
                    while (submitted.incrementAndGet() <= JOBS) {
                        queue.submit(request);
                    }
                });
                AtomicLong worker = new AtomicLong();
                phase("claim+complete", admin, () -> {  // as a slot does: claim one, store its result
                    String id = "bench-" + worker.incrementAndGet();
                    for (var lease = queue.claim(id, 0); lease.isPresent(); lease = queue.claim(id, 0)) {
                        queue.complete(lease.get(), OK);
                    }
                });
            }
        }
    }

    private static void phase(String name, Jedis admin, Runnable body) throws InterruptedException {
        double before = 0;
        for (String line : admin.info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys_main_thread:") || line.startsWith("used_cpu_user_main_thread:")) {
                before += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim()) * 1e6;
            }
        }
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofPlatform().start(body));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double serverUsec = 0;
        for (String line : admin.info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys_main_thread:") || line.startsWith("used_cpu_user_main_thread:")) {
                serverUsec += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim()) * 1e6;
            }
        }
        serverUsec -= before;
        System.out.printf("SHARD %-15s %6d jobs in %5.2f s = %6.0f jobs/s from %d client threads; Redis main thread"
                + " %5.1f us CPU/job (ceiling %6.0f jobs/s for this phase alone)%n", name, JOBS, seconds, JOBS / seconds,
                THREADS, serverUsec / JOBS, JOBS * 1e6 / serverUsec);
    }
}
