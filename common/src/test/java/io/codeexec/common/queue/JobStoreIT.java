package io.codeexec.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.testing.RedisTestServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

// Job documents as JobStore reads them back from the hashes the scripts write.
class JobStoreIT {
    private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.089Z");
    private static RedisClient redis;
    private JobQueue queue;
    private JobStore store;

    @BeforeAll
    static void connect() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(4);
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
        queue = new JobQueue(redis, 100, 600, Clock.fixed(NOW, ZoneOffset.UTC));
        store = new JobStore(redis);
    }

    @Test
    void unknownJobIsEmpty() {
        assertTrue(store.find("0123456789abcdef0123456789abcdef").isEmpty());
    }

    @Test
    void queuedJob() {
        String id = queue.submit(new JobRequest("ruby", "puts 1", "", List.of(), LimitPolicy.standard().defaults()));
        assertEquals(new Job(id, JobStatus.QUEUED, "ruby", NOW, null, null, null, Map.of("apiMs", 0L)),
                store.find(id).orElseThrow());
    }

    @Test
    void completedJobCarriesItsTimesAndResult() {
        String id = queue.submit(new JobRequest("python", "x", "", List.of(), LimitPolicy.standard().defaults()));
        Lease lease = queue.claim("w", 1).orElseThrow();
        assertEquals(JobStatus.RUNNING, store.find(id).orElseThrow().status());
        assertEquals(NOW, store.find(id).orElseThrow().startedAt());
        JobResult result = new JobResult(Verdict.RUNTIME_ERROR, 1, null, "", "Traceback\n", false, false, 20L, 10L, 9000L,
                "Exited with code 1");
        queue.complete(lease, result, null, Map.of("runMs", 20L));
        Job job = store.find(id).orElseThrow();
        assertEquals(new Job(id, JobStatus.COMPLETED, "python", NOW, NOW, NOW, result,
                Map.of("apiMs", 0L, "queuedMs", 0L, "runMs", 20L, "totalMs", 0L)), job);
        assertEquals(List.of("apiMs", "queuedMs", "runMs", "totalMs"), List.copyOf(job.timings().keySet()));
    }

    @Test
    void cancelledJobHasAFinishTimeAndNoResult() {
        String id = queue.submit(new JobRequest("python", "x", "", List.of(), LimitPolicy.standard().defaults()));
        queue.cancel(id);
        Job job = store.find(id).orElseThrow();
        assertEquals(JobStatus.CANCELLED, job.status());
        assertEquals(NOW, job.finishedAt());
        assertNull(job.result());
    }
}
