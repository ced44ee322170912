package io.codeexec.worker.reaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Each reaper duty against real Redis, one pass at a time, with the reachability window given: what a
 * pass does once the outage rule allows it, and that it does nothing before (the window itself is
 * RedisReachabilityTest's and, in real time through real pauses, RedisOutageIT's).
 */
class ReaperDutiesIT {
    private static final long LONG_REACHABLE_MS = 120_000;
    private RedisClient redis;
    private ReaperLock.Held lock;
    private final List<String> containersRemovedFor = new ArrayList<>();

    @BeforeEach
    void connect() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(4);
        redis.flushAll();
        lock = new ReaperLock(redis, "reaper").tryAcquire().orElseThrow();
    }

    @AfterEach
    void close() {
        lock.close();
        redis.close();
    }

    private Pass pass(long reachableMs) {
        return new Pass(RedisReachability.redisTimeMs(redis), reachableMs, 1, lock);
    }

    private String status(String id) {
        return redis.hget(RedisKeys.job(id), "status");
    }

    @Test
    void aLapsedLeaseIsRequeuedOnTheSecondPassWithItsTokenAndAttemptsKept() {
        String token = LeasedJobs.claim(redis, "j1", "w1", -1);
        redis.rpush(RedisKeys.executions("j1"), "w1:" + token);  // its holder started the run
        LapsedLeaseReaper duty = new LapsedLeaseReaper(redis);
        assertEquals(0, duty.run(pass(LONG_REACHABLE_MS)), "seen once is not enough");
        assertEquals("running", status("j1"));
        assertEquals(1, duty.run(pass(LONG_REACHABLE_MS)));
        assertEquals("queued", status("j1"));
        assertEquals(List.of("j1"), redis.lrange(RedisKeys.pending(), 0, -1));
        assertEquals(0, redis.llen(RedisKeys.processing("w1")));
        assertNull(redis.zscore(RedisKeys.leases(), "j1"));
        assertEquals(token, redis.hget(RedisKeys.job("j1"), "token"), "the next claim raises the token");
        assertEquals("1", redis.hget(RedisKeys.job("j1"), "attempts"), "the lapsed attempt ran: it counts");
        assertEquals(0, duty.run(pass(LONG_REACHABLE_MS)));
        assertEquals(List.of("j1"), redis.lrange(RedisKeys.pending(), 0, -1), "requeued once");
    }

    @Test
    void nothingIsRequeuedBeforeRedisWasReachableForALease() {
        LeasedJobs.claim(redis, "j1", "w1", -1);
        LapsedLeaseReaper duty = new LapsedLeaseReaper(redis);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, duty.run(pass(30_000)));
        }
        assertEquals("running", status("j1"));
        assertEquals(0, duty.run(pass(31_000)), "the first pass past the window only sees it");
        assertEquals(1, duty.run(pass(32_000)));
    }

    @Test
    void aLeaseRenewedOrReclaimedBetweenTwoSightingsIsNotRequeued() {
        String token = LeasedJobs.claim(redis, "renewed", "w1", -1);
        LeasedJobs.claim(redis, "reclaimed", "w1", -1);
        LapsedLeaseReaper duty = new LapsedLeaseReaper(redis);
        assertEquals(0, duty.run(pass(LONG_REACHABLE_MS)));
        assertTrue(LeasedJobs.renew(redis, "renewed", token));
        // Requeued by someone else and claimed again by another worker, with a lapsed lease again.
        redis.hset(RedisKeys.job("reclaimed"), "status", "queued");
        LeasedJobs.claim(redis, "reclaimed", "w2", -1);
        assertEquals(0, duty.run(pass(LONG_REACHABLE_MS)), "a new token is a new sighting");
        assertEquals("running", status("renewed"));
        assertEquals("w2", redis.hget(RedisKeys.job("reclaimed"), "worker"));
        assertEquals(1, duty.run(pass(LONG_REACHABLE_MS)), "the second claim's lapse, seen twice, counts");
    }

    @Test
    void theScriptRechecksTheLapseAtomically() {
        String token = LeasedJobs.claim(redis, "j1", "w1", -1);
        LapsedLeaseReaper duty = new LapsedLeaseReaper(redis);
        Pass first = pass(LONG_REACHABLE_MS);
        assertEquals(0, duty.run(first));
        // The holder renews after the reaper listed the lapsed leases but before it acts.
        Pass stale = new Pass(RedisReachability.redisTimeMs(redis), LONG_REACHABLE_MS, 1, lock);
        assertTrue(LeasedJobs.renew(redis, "j1", token));
        redis.zadd(RedisKeys.leases(), 1, "j1"); // as if the listing still saw the old score
        assertEquals(0, duty.run(stale), "leaseUntil in the hash says it was renewed");
        assertEquals("running", status("j1"));
    }

    @Test
    void aLeaseLeftBehindByAFinishedJobIsDropped() {
        LeasedJobs.claim(redis, "done", "w1", -1);
        redis.hset(RedisKeys.job("done"), "status", "completed");
        assertEquals(0, new LapsedLeaseReaper(redis).run(pass(LONG_REACHABLE_MS)));
        assertNull(redis.zscore(RedisKeys.leases(), "done"));
        assertEquals("completed", status("done"));
        assertEquals(0, redis.llen(RedisKeys.pending()));
    }

    /** A job claimed by a script older than leases: running, held, but in no lease. */
    private void unleasedRunning(String id, String worker) {
        redis.hset(RedisKeys.job(id), java.util.Map.of("id", id, "status", "running", "worker", worker));
        redis.lpush(RedisKeys.processing(worker), id);
    }

    private DeadWorkerReaper deadWorkers(Set<String> labelled) {
        return new DeadWorkerReaper(redis, "reaper", containersRemovedFor::add, () -> labelled);
    }

    @Test
    void aDeadWorkerIsConfirmedOnTheSecondPassAndCleanedUp() {
        redis.sadd(RedisKeys.workers(), "dead", "alive");
        redis.set(RedisKeys.heartbeat("alive"), "{}");
        LeasedJobs.movedNotClaimed(redis, "unclaimed", "dead");
        LeasedJobs.claim(redis, "running", "dead", 60_000);
        LeasedJobs.claim(redis, "peer", "alive", -1);
        unleasedRunning("unleased", "dead");
        DeadWorkerReaper duty = deadWorkers(Set.of());
        assertEquals(0, duty.run(pass(LONG_REACHABLE_MS)));
        assertTrue(containersRemovedFor.isEmpty(), "one pass without heartbeat is not death");
        assertEquals(2, duty.run(pass(LONG_REACHABLE_MS)));
        assertEquals(List.of("dead"), containersRemovedFor);
        assertEquals("queued", status("unclaimed"));
        assertEquals("queued", status("unleased"), "a job without a lease would never lapse");
        assertEquals(Set.of("unclaimed", "unleased"), Set.copyOf(redis.lrange(RedisKeys.pending(), 0, -1)));
        assertEquals("running", status("running"), "a running job comes back through its lease");
        assertEquals(List.of("running"), redis.lrange(RedisKeys.processing("dead"), 0, -1));
        assertTrue(redis.sismember(RedisKeys.workers(), "dead"), "registered while it holds a job");
        assertEquals("running", status("peer"), "a live worker's jobs are not this duty's");

        redis.hset(RedisKeys.job("running"), "status", "queued"); // its lease lapsed and was requeued
        redis.lrem(RedisKeys.processing("dead"), 0, "running");
        duty.run(pass(LONG_REACHABLE_MS));
        assertFalse(redis.sismember(RedisKeys.workers(), "dead"));
        assertTrue(redis.sismember(RedisKeys.workers(), "alive"));
    }

    @Test
    void noWorkerIsDeadBeforeRedisWasReachableForAHeartbeatTtl() {
        redis.sadd(RedisKeys.workers(), "silent");
        LeasedJobs.movedNotClaimed(redis, "unclaimed", "silent");
        DeadWorkerReaper duty = deadWorkers(Set.of("silent"));
        for (int i = 0; i < 5; i++) {
            assertEquals(0, duty.run(pass(DeadWorkerReaper.HEARTBEAT_TTL_MS)));
        }
        assertTrue(containersRemovedFor.isEmpty());
        assertEquals("queued", status("unclaimed"));
        assertEquals(List.of("unclaimed"), redis.lrange(RedisKeys.processing("silent"), 0, -1));
    }

    @Test
    void containersOfAnUnregisteredWorkerWithoutHeartbeatAreRemovedButNeverALivePeersOrOurOwn() {
        redis.set(RedisKeys.heartbeat("alive"), "{}");
        DeadWorkerReaper duty = deadWorkers(Set.of("gone", "alive", "reaper"));
        duty.run(pass(LONG_REACHABLE_MS));
        duty.run(pass(LONG_REACHABLE_MS));
        assertEquals(List.of("gone"), containersRemovedFor);
    }

    @Test
    void aStrayOnALiveWorkerIsRequeuedOnTheSecondPass() {
        redis.sadd(RedisKeys.workers(), "alive");
        redis.set(RedisKeys.heartbeat("alive"), "{}");
        LeasedJobs.movedNotClaimed(redis, "stray", "alive");
        LeasedJobs.claim(redis, "claimed", "alive", 60_000);
        unleasedRunning("unleased", "alive");
        StrayClaimReaper duty = new StrayClaimReaper(redis);
        assertEquals(0, duty.run(pass(0)), "a fresh move may be about to be claimed");
        assertEquals(1, duty.run(pass(0)));
        assertEquals(List.of("stray"), redis.lrange(RedisKeys.pending(), 0, -1));
        assertEquals(Set.of("claimed", "unleased"), Set.copyOf(redis.lrange(RedisKeys.processing("alive"), 0, -1)));
    }

    @Test
    void theLockIsReleasedOnlyByItsPassAndAPassNeverOutlivesItSilently() throws InterruptedException {
        ReaperLock other = new ReaperLock(redis, "other");
        assertTrue(other.tryAcquire().isEmpty(), "one pass at a time");
        String mine = redis.get(RedisKeys.reaperLock());

        redis.set(RedisKeys.reaperLock(), "someone-else");
        lock.close();
        assertEquals("someone-else", redis.get(RedisKeys.reaperLock()), "compare-and-delete spares another's lock");

        redis.set(RedisKeys.reaperLock(), mine);
        redis.pexpire(RedisKeys.reaperLock(), 6_000);
        Thread.sleep(ReaperLock.LOCK_MS / 3 + 100);
        lock.keep();
        assertTrue(redis.pttl(RedisKeys.reaperLock()) > ReaperLock.LOCK_MS - 2_000, "a long pass extends its lock");

        redis.set(RedisKeys.reaperLock(), "someone-else");
        Thread.sleep(ReaperLock.LOCK_MS / 3 + 100);
        assertThrows(ReaperLock.LostException.class, lock::keep);
        redis.del(RedisKeys.reaperLock());
        lock.close();
        lock = new ReaperLock(redis, "reaper").tryAcquire().orElseThrow();
    }
}
