package io.codeexec.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.tenant.Plan;
import io.codeexec.common.tenant.QuotaExceededException;
import io.codeexec.common.tenant.Tenant;
import io.codeexec.common.testing.RedisTestServer;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.RedisClient;

// A tenant's caps against a real Redis: maxRunning skips the tenant at claim time, maxQueued refuses at
// submit time (a batch all or nothing), and the counts behind both return to zero on every way out.
class TenantCapsIT {
    private static final JobResult OK = new JobResult(Verdict.OK, 0, null, "", "", false, false, 1L, 1L, 1L, null);
    private static RedisClient redis;
    private JobQueue queue;
    private JobSubmitter submitter;

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
        queue = new JobQueue(redis, 1_000, 600, Clock.systemUTC());
        submitter = new JobSubmitter(redis, 1_000, 600, Clock.systemUTC());
    }

    private static Tenant capped(String id, int maxQueued, int maxRunning) {
        return new Tenant(id, id, new Plan(0, maxQueued, maxRunning, 0, null));
    }

    private static JobRequest request(String code) {
        return new JobRequest("python", code, "", List.of(), LimitPolicy.standard().defaults());
    }

    private String submit(Tenant tenant, String code) {
        return queue.submit(tenant, request(code), 0);
    }

    private long count(String tenant, String field) {
        String value = redis.hget(RedisKeys.tenantCounts(tenant), field);
        return value == null ? 0 : Long.parseLong(value);
    }

    @Test
    void aTenantAtItsRunningCapIsSkippedAndAnotherTenantsJobRuns() {
        Tenant a = capped("a", 0, 1);
        String a1 = submit(a, "a1");
        String a2 = submit(a, "a2");
        String b1 = submit(capped("b", 0, 0), "b1");
        Lease first = queue.claim("w1", 1).orElseThrow();
        assertEquals(a1, first.id());
        assertEquals(b1, queue.claim("w2", 1).orElseThrow().id(), "a is at its cap: b's job runs");
        assertTrue(queue.claim("w3", 0.2).isEmpty(), "a's second job waits while its first runs");
        assertEquals("queued", redis.hget(RedisKeys.job(a2), JobFields.STATUS));
        assertEquals(0, redis.llen(RedisKeys.wake()));
        assertTrue(queue.complete(first, OK));
        assertEquals(1, redis.llen(RedisKeys.wake()), "the freed slot wakes an idle worker");
        assertEquals(a2, queue.claim("w3", 1).orElseThrow().id());
    }

    @Test
    void theAnonymousTenantHasNoCaps() {
        for (int i = 0; i < 3; i++) {
            queue.submit(request("x" + i));
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(queue.claim("w" + i, 1).isPresent());
        }
        assertEquals(3, count(Tenant.ANONYMOUS_ID, "running"));
    }

    /** Every way a lease or a queued job ends, and the counts it must leave: (running, queued) after it. */
    static List<Object[]> exits() {
        return List.of(
                new Object[] {"complete", 0, 0},
                new Object[] {"cancel while running", 0, 0},
                new Object[] {"cancel while queued", 0, 0},
                new Object[] {"requeue", 0, 1},
                new Object[] {"release", 0, 1},
                new Object[] {"requeue lapsed", 0, 1},
                new Object[] {"return unclaimed of a dead worker", 0, 1});
    }

    /** Each way out, run twice by the test: the repeat (a lost reply, a second reaper) must change nothing. */
    private static final Map<String, BiConsumer<TenantCapsIT, Lease>> EXIT = Map.of(
            "complete", (t, lease) -> t.queue.complete(lease, OK),
            "cancel while running", (t, lease) -> t.queue.cancel(lease.id()),
            "requeue", (t, lease) -> t.queue.requeue(lease),
            "release", (t, lease) -> t.queue.release(lease, 60_000),
            "requeue lapsed", (t, lease) -> {
                if ("running".equals(redis.hget(RedisKeys.job(lease.id()), JobFields.STATUS))) {
                    redis.hset(RedisKeys.job(lease.id()), JobFields.LEASE_UNTIL, "1");
                }
                t.queue.requeueLapsed(lease.id(), lease.token());
            },
            "return unclaimed of a dead worker", (t, lease) -> {
                redis.zrem(RedisKeys.leases(), lease.id());  // a claim without a lease (older scripts)
                JobQueue.returnUnclaimed(redis, lease.worker(), lease.id(), true);
            });

    @ParameterizedTest(name = "{0}")
    @MethodSource("exits")
    void everyWayOutMovesTheCountsOnceAndBackToZero(String exit, int runningAfter, int queuedAfter) {
        Tenant a = capped("a", 10, 1);
        String id = submit(a, "x");
        assertEquals(1, count("a", "queued"));
        if (exit.equals("cancel while queued")) {
            queue.cancel(id);
        } else {
            Lease lease = queue.claim("w1", 1).orElseThrow();
            assertEquals(1, count("a", "running"));
            assertEquals(0, count("a", "queued"));
            EXIT.get(exit).accept(this, lease);
            if (queuedAfter == 1) {
                assertEquals("queued", redis.hget(RedisKeys.job(id), JobFields.STATUS), exit + " gave it back");
            }
            EXIT.get(exit).accept(this, lease);
        }
        assertEquals(runningAfter, count("a", "running"), "running after " + exit);
        assertEquals(queuedAfter, count("a", "queued"), "queued after " + exit);
        assertEquals(queuedAfter, queue.pendingCount(), "all tenants' queued after " + exit);
        queue.cancel(id);
        assertEquals(0, count("a", "running"));
        assertEquals(0, count("a", "queued"));
        assertEquals(0, queue.pendingCount());
    }

    @Test
    void maxQueuedRefusesTheSubmissionThatWouldPassIt() {
        Tenant a = capped("a", 3, 0);
        for (int i = 0; i < 3; i++) {
            submit(a, "x" + i);
        }
        QuotaExceededException e = assertThrows(QuotaExceededException.class, () -> submit(a, "late"));
        assertEquals("maxQueued", e.quota());
        assertEquals(3, e.limit());
        assertTrue(e.retryAfterSeconds() > 0);
        assertEquals(3, redis.keys(RedisKeys.job("*")).size(), "nothing stored");
        submit(capped("b", 3, 0), "b's own quota");
        queue.claim("w1", 1).orElseThrow();  // a running job no longer counts as queued
        queue.claim("w1", 1).orElseThrow();
        submit(a, "now it fits");
    }

    @Test
    void aBatchIsRefusedAsAWholeWhenItWouldPassMaxQueued() {
        Tenant a = capped("a", 5, 0);
        submit(a, "one");
        submit(a, "two");
        List<JobRequest> four = Collections.nCopies(4, request("x"));
        assertThrows(QuotaExceededException.class,
                () -> submitter.submitBatch(a, four, "{}", null, 0, Optional.empty()));
        assertEquals(2, redis.keys(RedisKeys.job("*")).size(), "no job of the batch stored");
        assertEquals(List.of(), redis.lrange(RedisKeys.activeBatches("a"), 0, -1));
        assertEquals(2, count("a", "queued"));
        submitter.submitBatch(a, Collections.nCopies(3, request("x")), "{}", null, 0, Optional.empty());
        assertEquals(5, count("a", "queued"));
    }

    @Test
    void aRetryWithItsIdempotencyKeyIsAnsweredEvenAtTheCap() {
        Tenant a = capped("a", 1, 0);
        IdempotencyKey key = new IdempotencyKey("a", "order-1");
        String id = submitter.submit(a, request("x"), 0, Optional.of(key)).id();
        assertEquals(id, submitter.submit(a, request("x"), 0, Optional.of(key)).id());
        assertThrows(QuotaExceededException.class, () -> submitter.submit(a, request("y"), 0, Optional.empty()));
    }

    @Test
    void jobAndBatchDocumentsShowTheirTenant() {
        String id = submit(capped("a", 0, 0), "x");
        assertEquals("a", new JobStore(redis).find(id).orElseThrow().tenant());
        String batch = queue.submitBatch(capped("b", 0, 0), List.of(request("y")), "{}", null, 0).id();
        assertEquals("b", new BatchStore(redis).find(batch).orElseThrow().tenant());
        assertEquals("b", redis.hget(RedisKeys.job(new BatchStore(redis).find(batch).orElseThrow().jobs().getFirst().id()),
                JobFields.TENANT));
        assertEquals(Tenant.ANONYMOUS_ID, new JobStore(redis).find(queue.submit(request("z"))).orElseThrow().tenant());
    }
}
