package io.codeexec.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.tenant.Tenant;
import io.codeexec.common.testing.RedisTestServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

// Fair scheduling against a real Redis: tenants take turns whatever their backlog; within a tenant,
// singles before its batches and its batches in turn; jobs given back return to their own tenant.
class FairQueueIT {
    private static final JobResult OK = new JobResult(Verdict.OK, 0, null, "", "", false, false, 1L, 1L, 1L, null);
    private static RedisClient redis;
    private JobQueue queue;

    @BeforeAll
    static void connect() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(8);
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
        queue = new JobQueue(redis, 100_000, 600, Clock.systemUTC());
    }

    static Tenant tenant(String id) {
        return new Tenant(id, id, null);
    }

    private static JobRequest request(String code) {
        return new JobRequest("python", code, "", List.of(), LimitPolicy.standard().defaults());
    }

    private String single(String tenant, String code) {
        return queue.submit(tenant(tenant), request(code), 0);
    }

    private List<String> batch(String tenant, int jobs) {
        List<JobRequest> requests = Collections.nCopies(jobs, request("print(1)"));
        return queue.submitBatch(tenant(tenant), requests, "{}", null, 0).jobIds();
    }

    /** Claims one job (completing it at once, as a fast worker would) and answers its tenant. */
    private Lease claimAndComplete(String worker) {
        Lease lease = queue.claim(worker, 1).orElseThrow();
        assertTrue(queue.complete(lease, OK));
        return lease;
    }

    private String tenantOf(Lease lease) {
        return redis.hget(RedisKeys.job(lease.id()), JobFields.TENANT);
    }

    @Test
    void anotherTenantsSingleJobIsClaimedNextWhateverTheBacklog() {
        batch("a", 1_000);
        for (int i = 0; i < 1_000; i++) {
            single("a", "print(" + i + ")");
        }
        for (int i = 0; i < 5; i++) {
            claimAndComplete("w1");  // a's jobs are being served
        }
        String b = single("b", "print('b')");
        List<String> next = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            next.add(claimAndComplete("w1").id());
        }
        assertTrue(next.subList(0, 2).contains(b), "b's job is among the first two claims after it came: " + next);
        assertEquals(2_000 - 5 - 2, queue.pendingCount(), "every other job of a still waits");
    }

    @Test
    void threeTenantsTakeTurnsExactly() {
        for (String tenant : List.of("a", "b", "c")) {
            for (int i = 0; i < 4; i++) {
                single(tenant, tenant + i);
            }
        }
        batch("a", 4);  // a's batch must wait behind a's singles, not take extra turns
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            order.add(tenantOf(claimAndComplete("w1")));
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c", "a", "b", "c", "a", "b", "c"), order);
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rest.add(tenantOf(claimAndComplete("w1")));
        }
        assertEquals(List.of("a", "a", "a", "a"), rest, "only a has work left");
        assertEquals(0, redis.llen(RedisKeys.tenants()), "a tenant without work leaves the rotation");
    }

    @Test
    void withinATenantSinglesComeFirstThenItsBatchesTakeTurns() {
        List<String> first = batch("a", 2);
        List<String> second = batch("a", 2);
        String single = single("a", "print(1)");
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(claimAndComplete("w1").id());
        }
        assertEquals(List.of(single, first.get(0), second.get(0), first.get(1), second.get(1)), order);
    }

    @Test
    void aJobGivenBackReturnsToTheHeadOfItsOwnTenantsQueue() {
        single("a", "a1");
        String a2 = single("a", "a2");
        Lease a1 = queue.claim("w1", 1).orElseThrow();
        String b1 = single("b", "b1");
        assertTrue(queue.requeue(a1));
        assertEquals(List.of(a2, a1.id()), redis.lrange(RedisKeys.pending("a"), 0, -1), "next out of a's queue");
        assertEquals(List.of(b1), redis.lrange(RedisKeys.pending("b"), 0, -1));
        assertEquals(List.of(a1.id(), b1, a2), List.of(claimAndComplete("w1").id(), claimAndComplete("w1").id(),
                claimAndComplete("w1").id()));
    }

    @Test
    void aLapsedLeaseAndADelayedReleaseGoBackToTheirTenant() {
        String lapsed = single("a", "a1");
        String released = single("b", "b1");
        Lease first = queue.claim("w1", 1).orElseThrow();
        Lease second = queue.claim("w2", 1).orElseThrow();
        assertEquals(lapsed, first.id());
        redis.hset(RedisKeys.job(lapsed), JobFields.LEASE_UNTIL, "1");
        assertTrue(queue.requeueLapsed(lapsed, first.token()));
        assertEquals(List.of(lapsed), redis.lrange(RedisKeys.pending("a"), 0, -1));
        assertEquals(JobQueue.Release.RELEASED, queue.release(second, 0));
        assertEquals(1, queue.moveDueDelayed());
        assertEquals(List.of(released), redis.lrange(RedisKeys.pending("b"), 0, -1));
        assertEquals(List.of("a", "b"), redis.lrange(RedisKeys.tenants(), 0, -1));
    }

    @Test
    void workArrivingWakesAnIdleWorker() throws Exception {
        assertTrue(queue.claim("w1", 0.05).isEmpty());
        assertEquals(0, redis.llen(RedisKeys.wake()), "a claim that found nothing removes the token");
        CompletableFuture<Lease> waiting = CompletableFuture.supplyAsync(() -> queue.claim("w1", 10).orElseThrow());
        Thread.sleep(1_000);  // the claimer is blocked by now
        String id = single("a", "print(1)");
        assertEquals(id, waiting.get(5, TimeUnit.SECONDS).id());
        single("a", "print(2)");
        single("b", "print(3)");
        assertEquals(1, redis.llen(RedisKeys.wake()), "one token however many submissions");
        redis.del(RedisKeys.wake());
        queue.claim("w1", 1).orElseThrow();
        assertEquals(1, redis.llen(RedisKeys.wake()), "a claim that leaves work behind wakes the next worker");
        redis.del(RedisKeys.wake());
        queue.claim("w1", 1).orElseThrow();
        assertEquals(0, redis.llen(RedisKeys.wake()), "the last job wakes nobody");
    }

    @Test
    void jobsQueuedBeforeTenantsAreAdoptedByTheAnonymousTenantOldestFirst() {
        for (String id : List.of("old1", "old2")) {  // as the version before tenants stored them
            redis.hset(RedisKeys.job(id), java.util.Map.of(JobFields.ID, id, JobFields.STATUS, "queued",
                    JobFields.REQUEST, "{\"language\":\"python\",\"code\":\"1\"}", JobFields.ATTEMPTS, "0"));
            redis.lpush(RedisKeys.legacyPending(), id);
        }
        String fresh = queue.submit(request("new"));
        assertEquals("old1", queue.claim("w1", 1).orElseThrow().id());
        assertEquals("old2", queue.claim("w1", 1).orElseThrow().id());
        assertEquals(fresh, queue.claim("w1", 1).orElseThrow().id());
        assertEquals(0, redis.llen(RedisKeys.legacyPending()));
        assertEquals(0, queue.pendingCount());
        assertEquals("1", redis.hget(RedisKeys.tenantCounts(Tenant.ANONYMOUS_ID), "running"),
                "only the new job counts: the old ones were never counted in, so they are not counted out");
    }

    @Test
    void aReleasedJobThatIsDueGoesToAnIdlePeerRatherThanBackToTheWorkerThatMovedIt() throws Exception {
        single("a", "a1");
        assertEquals(JobQueue.Release.RELEASED, queue.release(queue.claim("broken", 1).orElseThrow(), 300));
        CompletableFuture<Lease> peer = CompletableFuture.supplyAsync(() -> queue.claim("healthy", 10).orElseThrow());
        Thread.sleep(1_000);  // the peer is blocked on the wake-up list, and the release is due
        assertTrue(queue.claim("broken", 0.3).isEmpty(), "the worker that moved it does not take it back");
        assertEquals("healthy", peer.get(5, TimeUnit.SECONDS).worker());
    }
}
