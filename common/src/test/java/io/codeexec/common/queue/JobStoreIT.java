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
import java.util.Optional;
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
        assertEquals(new Job(id, JobStatus.COMPLETED, "python", 1, NOW, NOW, NOW, result,
                Map.of("apiMs", 0L, "queuedMs", 0L, "runMs", 20L, "totalMs", 0L)), job);
        assertEquals(List.of("apiMs", "queuedMs", "runMs", "totalMs"), List.copyOf(job.timings().keySet()));
    }

    @Test
    void attemptsAreReadFromTheHashAndAbsentMeansZero() {
        String id = queue.submit(new JobRequest("python", "x", "", List.of(), LimitPolicy.standard().defaults()));
        redis.hset(RedisKeys.job(id), JobFields.ATTEMPTS, "2");
        assertEquals(2, store.find(id).orElseThrow().attempts());
        redis.hdel(RedisKeys.job(id), JobFields.ATTEMPTS);
        assertEquals(0, store.find(id).orElseThrow().attempts());
    }

    @Test
    void readingTheDocumentNeverTransfersTheRequest() {
        String bigStdin = "x".repeat(8 * LimitPolicy.MIB);
        String id = queue.submit(new JobRequest("python", "x", bigStdin, List.of(), LimitPolicy.standard().defaults()));
        long before = netOutputBytes();
        for (int i = 0; i < 3; i++) {
            assertEquals(JobStatus.QUEUED, store.find(id).orElseThrow().status());
        }
        assertEquals(JobStatus.QUEUED, store.status(id).orElseThrow());
        long sent = netOutputBytes() - before;
        assertTrue(sent < 64 * 1024, "Redis sent " + sent + " bytes for four reads of a job with an 8 MiB request");
    }

    private static long netOutputBytes() {
        for (String line : redis.info("stats").split("\r?\n")) {
            if (line.startsWith("total_net_output_bytes:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no total_net_output_bytes in INFO stats");
    }

    @Test
    void statusesOfManyJobsInOneRoundTrip() {
        String queued = queue.submit(new JobRequest("python", "x", "", List.of(), LimitPolicy.standard().defaults()));
        String cancelled = queue.submit(new JobRequest("python", "y", "", List.of(), LimitPolicy.standard().defaults()));
        queue.cancel(cancelled);
        assertEquals(List.of(Optional.of(JobStatus.QUEUED), Optional.of(JobStatus.CANCELLED), Optional.empty()),
                store.statuses(List.of(queued, cancelled, "0123456789abcdef0123456789abcdef")));
        assertEquals(List.of(), store.statuses(List.of()));
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
