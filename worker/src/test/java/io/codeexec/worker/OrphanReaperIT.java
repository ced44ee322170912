package io.codeexec.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.queue.JobQueue;
import io.codeexec.common.queue.Lease;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.args.ListDirection;

/** The reaper against real Redis: dead workers' jobs and live workers' stuck jobs go back to the queue. */
class OrphanReaperIT {
    private RedisClient redis;
    private JobQueue queue;
    private final List<String> containersRemovedFor = new ArrayList<>();
    private OrphanReaper reaper;
    private Lease lease;

    @BeforeEach
    void connect() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(4);
        redis.flushAll();
        queue = new JobQueue(redis, 100, 3600, Clock.systemUTC());
        reaper = new OrphanReaper(redis, queue, "reaper", containersRemovedFor::add);
    }

    @AfterEach
    void close() {
        redis.close();
    }

    private String claimedBy(String worker, int wallTimeMs) {
        String id = queue.submit(new JobRequest("python", "print(1)", "", List.of(),
                LimitPolicy.standard().resolve(new LimitsRequest(100, wallTimeMs, null, null, null, null))));
        lease = queue.claim(worker, 1).orElseThrow();
        assertEquals(id, lease.id());
        redis.sadd(RedisKeys.workers(), worker);
        // Leases (issue 9): only a lapsed lease is requeued; these workers stopped renewing long ago.
        redis.hset(RedisKeys.job(id), "leaseUntil", "1");
        return id;
    }

    @Test
    void deadWorkersJobsAreRequeuedAndItsContainersRemoved() {
        String id = claimedBy("dead", 1000);
        assertEquals(1, reaper.reap());
        assertEquals("queued", redis.hget(RedisKeys.job(id), "status"));
        assertEquals(List.of(id), redis.lrange(RedisKeys.pending(), 0, -1));
        assertEquals(0, redis.llen(RedisKeys.processing("dead")));
        assertFalse(redis.sismember(RedisKeys.workers(), "dead"));
        assertEquals(List.of("dead"), containersRemovedFor);
        assertEquals(2, queue.claim("other", 1).orElseThrow().attempts(), "the retry counts as a second attempt");
    }

    @Test
    void liveWorkersRecentJobsAreLeftAlone() {
        String id = claimedBy("alive", 1000);
        redis.set(RedisKeys.heartbeat("alive"), "{}");
        assertEquals(0, reaper.reap());
        assertEquals("running", redis.hget(RedisKeys.job(id), "status"));
        assertTrue(containersRemovedFor.isEmpty());
    }

    @Test
    void stuckJobOnALiveWorkerIsRequeuedAndItsLateResultDiscarded() {
        String id = claimedBy("stuck", 1000);
        redis.set(RedisKeys.heartbeat("stuck"), "{}");
        redis.hset(RedisKeys.job(id), "startedAt", Instant.now().minus(OrphanReaper.STUCK_GRACE).minusSeconds(2).toString());
        assertEquals(1, reaper.reap());
        assertEquals("queued", redis.hget(RedisKeys.job(id), "status"));
        assertFalse(queue.complete(lease, JobResult.internalError("late")), "the stuck worker's late result is discarded");
        assertEquals("queued", redis.hget(RedisKeys.job(id), "status"));
        assertTrue(redis.sismember(RedisKeys.workers(), "stuck"), "a live worker stays registered");
    }

    @Test
    void aJobMovedButNeverClaimedIsRequeuedOnTheSecondPass() {
        String id = queue.submit(new JobRequest("python", "print(1)", "", List.of(), LimitPolicy.standard().defaults()));
        redis.lmove(RedisKeys.pending(), RedisKeys.processing("alive"), ListDirection.RIGHT, ListDirection.LEFT);
        redis.sadd(RedisKeys.workers(), "alive");
        redis.set(RedisKeys.heartbeat("alive"), "{}");
        assertEquals(0, reaper.reap(), "a fresh move may be about to be claimed");
        assertEquals(1, reaper.reap());
        assertEquals(List.of(id), redis.lrange(RedisKeys.pending(), 0, -1));
        assertEquals(0, redis.llen(RedisKeys.processing("alive")));
        assertEquals(id, queue.claim("other", 1).orElseThrow().id());
    }

    @Test
    void oneReaperAtATime() {
        claimedBy("dead", 1000);
        redis.set(RedisKeys.reaperLock(), "someone-else");
        assertEquals(0, reaper.reap());
        assertEquals("someone-else", redis.get(RedisKeys.reaperLock()), "another reaper's lock is not released");
    }
}
