package io.codeexec.worker.reaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.worker.Heartbeat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * The outage rule in real time, with the real reaper on its own thread and Redis really frozen
 * (docker pause) for 30 s and then 60 s: while frozen, every heartbeat and lease expires by Redis's
 * clock. A worker that keeps renewing through both pauses loses nothing; a worker that really stopped
 * is recovered, but only once Redis has been reachable for a whole TTL after the last pause.
 */
class RedisOutageIT {
    private RedisClient redis;
    private RedisClient holderRedis;
    private Reaper reaper;
    private final ScheduledExecutorService holder = Executors.newScheduledThreadPool(2);
    private boolean paused;
    private final List<String> containersRemovedFor = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void connect() {
        RedisConnector connector = new RedisConnector(RedisTestServer.url());
        redis = connector.pooled(4);
        holderRedis = connector.pooled(4);
        redis.flushAll();
    }

    @AfterEach
    void close() {
        holder.shutdownNow();
        if (reaper != null) {
            reaper.close();
        }
        if (paused) {
            RedisTestServer.unpause();
        }
        redis.close();
        holderRedis.close();
    }

    private void freeze(long ms) throws InterruptedException {
        RedisTestServer.pause();
        paused = true;
        Thread.sleep(ms);
        RedisTestServer.unpause();
        paused = false;
    }

    private String status(String id) {
        return redis.hget(RedisKeys.job(id), "status");
    }

    @Test
    void pausesOf30And60SecondsRequeueNothingThatStillRunsAndADeadHoldersJobOnlyAfterAFullLease()
            throws Exception {
        redis.sadd(RedisKeys.workers(), "live", "dead");
        String liveToken = LeasedJobs.claim(redis, "live-job", "live", io.codeexec.common.queue.JobQueue.LEASE_MS);
        LeasedJobs.claim(redis, "dead-job", "dead", io.codeexec.common.queue.JobQueue.LEASE_MS);
        LeasedJobs.movedNotClaimed(redis, "dead-unclaimed", "dead");

        // The live worker: heartbeat every 5 s (TTL 15 s) and lease renewal every 10 s, as a worker does.
        AtomicInteger leaseLost = new AtomicInteger();
        AtomicInteger failedWhileFrozen = new AtomicInteger();
        holder.scheduleWithFixedDelay(() -> {
            try {
                holderRedis.set(RedisKeys.heartbeat("live"), "{}", SetParams.setParams().ex(Heartbeat.TTL_SECONDS));
            } catch (RuntimeException e) {
                failedWhileFrozen.incrementAndGet();
            }
        }, 0, Heartbeat.INTERVAL_SECONDS, TimeUnit.SECONDS);
        holder.scheduleWithFixedDelay(() -> {
            try {
                if (!LeasedJobs.renew(holderRedis, "live-job", liveToken)) {
                    leaseLost.incrementAndGet();
                }
            } catch (RuntimeException e) {
                failedWhileFrozen.incrementAndGet();
            }
        }, 10, 10, TimeUnit.SECONDS);

        reaper = Reaper.standard(redis, "reaper", containersRemovedFor::add, Set::of).start();
        Thread.sleep(6_000);

        freeze(30_000);
        Thread.sleep(14_000);
        assertEquals("running", status("dead-job"),
                "a lease that lapsed during the outage is not acted upon before Redis was reachable for a lease");

        freeze(60_000);
        long unpausedAt = System.nanoTime();

        long requeuedAfterMs = -1;
        while (System.nanoTime() - unpausedAt < TimeUnit.SECONDS.toNanos(80)) {
            if ("queued".equals(status("dead-job"))) {
                requeuedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unpausedAt);
                break;
            }
            assertEquals("running", status("live-job"));
            Thread.sleep(250);
        }
        Thread.sleep(11_000); // one more renewal of the live lease, and more passes

        System.out.println("dead holder's job requeued " + requeuedAfterMs + " ms after the 60 s pause ended");
        assertTrue(requeuedAfterMs >= io.codeexec.common.queue.JobQueue.LEASE_MS,
                "the dead holder's job is requeued, only once Redis was reachable for a lease: " + requeuedAfterMs + " ms");
        assertTrue(failedWhileFrozen.get() > 0, "the holder really was cut off");
        assertEquals(0, leaseLost.get(), "the live worker never lost its lease");
        assertEquals("running", status("live-job"));
        assertEquals(liveToken, redis.hget(RedisKeys.job("live-job"), "token"));
        assertEquals(List.of("live-job"), redis.lrange(RedisKeys.processing("live"), 0, -1));
        assertFalse(containersRemovedFor.contains("live"), "a live worker's containers are never removed");
        assertTrue(containersRemovedFor.contains("dead"));
        assertEquals("queued", status("dead-unclaimed"));
        assertEquals(Set.of("dead-job", "dead-unclaimed"), Set.copyOf(redis.lrange(RedisKeys.pending(), 0, -1)));
        assertEquals(2, redis.llen(RedisKeys.pending()), "each requeued once");
        assertFalse(redis.sismember(RedisKeys.workers(), "dead"), "the dead worker is unregistered once its list is empty");
    }
}
