package io.codeexec.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.json.Json;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.common.tenant.Tenant;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.StreamEntry;

// Leases and fencing tokens against a real Redis (issue 9): ownership is the token, not the worker id.
class LeaseIT {
    private static final long TTL_SECONDS = 3600;
    private static final JobResult OK = new JobResult(Verdict.OK, 0, null, "real\n", "", false, false, 5L, 4L, 1000L, null);
    private static final JobResult LATE = new JobResult(Verdict.OK, 0, null, "late\n", "", false, false, 5L, 4L, 1000L, null);

    private static RedisClient redis;
    private JobQueue queue;

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
        queue = new JobQueue(redis, 100, TTL_SECONDS, Clock.systemUTC());
    }

    private static JobRequest request(String callbackUrl) {
        return new JobRequest("python", "print(1)", "", List.of(), LimitPolicy.standard().defaults(), callbackUrl);
    }

    private Lease claim(String worker) {
        return queue.claim(worker, 1).orElseThrow(() -> new AssertionError("nothing claimed"));
    }

    private String field(String id, String name) {
        return redis.hget(RedisKeys.job(id), name);
    }

    private void reap(Lease lease) {
        redis.hset(RedisKeys.job(lease.id()), JobFields.LEASE_UNTIL, "1");
        assertTrue(queue.requeueLapsed(lease.id(), lease.token()));
    }

    private List<Map<String, String>> outbox() {
        return redis.xrange(RedisKeys.outbox(), "-", "+").stream().map(StreamEntry::getFields).toList();
    }

    @Test
    void aStaleFirstAttemptOfTheSameWorkerCannotCompleteRequeueReleaseOrAckOverTheSecond() {
        String id = queue.submit(request(null));
        Lease first = claim("w1");
        assertTrue(queue.recordExecution(first));
        reap(first);
        Lease second = claim("w1");
        assertEquals(List.of(first.token() + 1, 2L), List.of(second.token(), second.attempts()));

        assertFalse(queue.complete(first, LATE), "stale complete refused");
        assertFalse(queue.requeue(first), "stale requeue refused");
        assertEquals(JobQueue.Release.NOT_HELD, queue.release(first, 0));
        assertFalse(queue.renew(first), "stale renew refused");
        assertEquals(List.of(id), queue.processing("w1"), "the second attempt's entry is still there");
        assertEquals("running", field(id, JobFields.STATUS));
        assertEquals("2", field(id, JobFields.TOKEN));
        assertEquals(List.of(), redis.lrange(RedisKeys.pending(), 0, -1));

        assertTrue(queue.complete(second, OK));
        assertEquals(Json.write(OK), field(id, JobFields.RESULT));
        assertEquals(List.of(), queue.processing("w1"));
    }

    @Test
    void claimSetsTheLeaseByRedisClockAndRenewExtendsIt() {
        String id = queue.submit(request(null));
        Lease lease = claim("w1");
        long now = System.currentTimeMillis();  // Redis runs on this machine: its clock is ours
        long until = Long.parseLong(field(id, JobFields.LEASE_UNTIL));
        assertTrue(until >= now + JobQueue.LEASE_MS - 2000 && until <= now + JobQueue.LEASE_MS + 2000, "lease end " + until);
        assertEquals((double) until, redis.zscore(RedisKeys.leases(), id));

        redis.hset(RedisKeys.job(id), JobFields.LEASE_UNTIL, "5");
        assertTrue(queue.renew(lease));
        long renewed = Long.parseLong(field(id, JobFields.LEASE_UNTIL));
        assertTrue(renewed >= until, "renewed to " + renewed);
        assertEquals((double) renewed, redis.zscore(RedisKeys.leases(), id));

        queue.cancel(id);
        assertFalse(queue.renew(lease), "a cancelled job's lease is lost");
        assertNull(redis.zscore(RedisKeys.leases(), id), "cancel drops the lease");
    }

    @Test
    void requeueLapsedOnlyWhenTheLeaseLapsedByRedisClockAndTheTokenMatches() {
        String id = queue.submit(request(null));
        Lease lease = claim("w1");
        assertTrue(queue.recordExecution(lease));
        assertFalse(queue.requeueLapsed(id, lease.token()), "a live lease is left alone");
        redis.hset(RedisKeys.job(id), JobFields.LEASE_UNTIL, "1");
        assertFalse(queue.requeueLapsed(id, lease.token() + 1), "another token is refused");
        assertTrue(queue.requeueLapsed(id, lease.token()));
        assertEquals("queued", field(id, JobFields.STATUS));
        assertEquals(List.of(id), redis.lrange(RedisKeys.pending(), 0, -1));
        assertEquals(List.of(), queue.processing("w1"));
        assertNull(redis.zscore(RedisKeys.leases(), id));
        assertEquals("1", field(id, JobFields.ATTEMPTS), "the attempt ran: it still counts");
    }

    @Test
    void completeIsIdempotentWhenTheFirstReplyWasLost() {
        String id = queue.submit(request("http://receiver/job"));
        Lease lease = claim("w1");
        assertTrue(queue.complete(lease, OK));
        Map<String, String> stored = redis.hgetAll(RedisKeys.job(id));
        assertTrue(queue.complete(lease, LATE), "the retry gets the same answer");
        assertEquals(stored, redis.hgetAll(RedisKeys.job(id)), "and changes nothing");
        assertEquals(Json.write(OK), field(id, JobFields.RESULT));
        assertEquals("1", redis.hget(RedisKeys.stats(), "completed"), "counted once");
        assertEquals(List.of(Map.of("kind", "job", "id", id, "url", "http://receiver/job", "attempt", "1")), outbox(),
                "one callback");
        assertNull(redis.zscore(RedisKeys.leases(), id));
    }

    @Test
    void theLastJobOfABatchEnqueuesTheBatchCallbackOnceAndExtendsTheBatch() {
        BatchSubmission batch = queue.submitBatch(List.of(request(null), request(null)), "{}", "http://receiver/batch", 0);
        redis.expire(RedisKeys.batch(batch.id()), 50);
        Lease a = claim("w1");
        Lease b = claim("w1");
        assertTrue(queue.complete(a, OK));
        assertTrue(redis.ttl(RedisKeys.batch(batch.id())) > 50, "the batch lives as long as its jobs");
        assertTrue(redis.ttl(RedisKeys.batchJobs(batch.id())) > TTL_SECONDS - 10);
        assertEquals(List.of(), outbox());
        assertTrue(queue.complete(b, OK));
        assertTrue(queue.complete(b, OK));
        assertEquals(List.of(Map.of("kind", "batch", "id", batch.id(), "url", "http://receiver/batch", "attempt", "1")),
                outbox());
        assertEquals("2", redis.hget(RedisKeys.batch(batch.id()), "done"));
    }

    @Test
    void aCancelThatFinishesABatchEnqueuesItsCallbackAndTheJobs() {
        BatchSubmission batch = queue.submitBatch(List.of(request("http://receiver/job")), "{}", "http://receiver/batch", 0);
        String id = batch.jobIds().getFirst();
        assertEquals(CancelOutcome.CANCELLED_WHILE_QUEUED, queue.cancel(id));
        assertEquals(List.of(Map.of("kind", "job", "id", id, "url", "http://receiver/job", "attempt", "1"),
                Map.of("kind", "batch", "id", batch.id(), "url", "http://receiver/batch", "attempt", "1")), outbox());
        assertEquals("0", redis.get(RedisKeys.queued()));
        assertEquals("0", redis.hget(RedisKeys.tenantCounts(Tenant.ANONYMOUS_ID), "queued"));
    }

    @Test
    void aJobWhoseBatchHashExpiredCompletesCleanlyAndLeavesNoKeyWithoutTtl() {
        BatchSubmission batch = queue.submitBatch(List.of(request(null), request(null)), "{}", "http://receiver/batch", 0);
        redis.del(RedisKeys.batch(batch.id()), RedisKeys.batchJobs(batch.id()));  // expired while waiting
        Lease a = claim("w1");
        assertTrue(queue.complete(a, OK));
        assertEquals("completed", field(a.id(), JobFields.STATUS));
        String other = batch.jobIds().stream().filter(id -> !id.equals(a.id())).findFirst().orElseThrow();
        assertEquals(CancelOutcome.CANCELLED_WHILE_QUEUED, queue.cancel(other));
        assertFalse(redis.exists(RedisKeys.batch(batch.id())), "no HINCRBY recreated the batch");
        assertFalse(redis.exists(RedisKeys.batchJobs(batch.id())));
        for (String key : redis.keys("codeexec:job:*")) {
            assertTrue(redis.ttl(key) > 0, key + " has a TTL");
        }
        assertEquals(List.of(), outbox(), "a batch that is gone sends nothing");
    }

    @Test
    void releaseGivesTheJobBackToTheTailAfterTheDelayWithoutCountingAnAttempt() throws Exception {
        String id = queue.submit(request(null));
        Lease lease = claim("w1");
        queue.recordExecution(lease);
        assertEquals(JobQueue.Release.RELEASED, queue.release(lease, 300));
        assertEquals("queued", field(id, JobFields.STATUS));
        assertEquals("0", field(id, JobFields.ATTEMPTS));
        assertEquals("1", field(id, JobFields.RELEASES));
        assertEquals("1", field(id, JobFields.TOKEN), "the token never goes back");
        assertEquals(List.of(), queue.processing("w1"));
        assertNull(redis.zscore(RedisKeys.leases(), id));
        assertNotNull(redis.zscore(RedisKeys.delayed(), id));
        assertEquals(List.of(), redis.lrange(RedisKeys.executions(id), 0, -1), "the run never started");
        assertTrue(queue.claim("w2", 0.1).isEmpty(), "not before its delay");

        String later = queue.submit(request(null));
        Thread.sleep(400);
        assertEquals(later, claim("w2").id(), "due released jobs join the tail of the queue");
        Lease again = claim("w2");
        assertEquals(List.of(id, 2L, 1L), List.of(again.id(), again.token(), again.attempts()));
        assertNull(redis.zscore(RedisKeys.delayed(), id));
    }

    @Test
    void releaseEndsAfterTheCapAndChangesNothing() {
        String id = queue.submit(request(null));
        Lease lease = claim("w1");
        redis.hset(RedisKeys.job(id), JobFields.RELEASES, Integer.toString(JobQueue.MAX_RELEASES));
        Map<String, String> before = redis.hgetAll(RedisKeys.job(id));
        assertEquals(JobQueue.Release.EXHAUSTED, queue.release(lease, 0));
        assertEquals(before, redis.hgetAll(RedisKeys.job(id)));
        assertTrue(queue.complete(lease, JobResult.internalError("no worker could run it")));
    }

    @Test
    void cancelOfAReleasedJobTakesItOutOfTheDelayedSet() {
        String id = queue.submit(request(null));
        queue.release(claim("w1"), 60_000);
        assertEquals(CancelOutcome.CANCELLED_WHILE_QUEUED, queue.cancel(id));
        assertNull(redis.zscore(RedisKeys.delayed(), id));
    }

    @Test
    void executionsAreRecordedAsWorkerAndTokenWithATtl() {
        String id = queue.submit(request(null));
        Lease lease = claim("w1");
        queue.recordExecution(lease);
        assertEquals(List.of("w1:1"), redis.lrange(RedisKeys.executions(id), 0, -1));
        assertTrue(redis.ttl(RedisKeys.executions(id)) > 0);
    }

    @Test
    void recordingAnExecutionIsIdempotentAndRefusedToAStaleToken() {
        String id = queue.submit(request(null));
        Lease first = claim("w1");
        assertTrue(queue.recordExecution(first));
        assertTrue(queue.recordExecution(first), "a retry after a lost reply is answered again");
        assertEquals(List.of("w1:1"), redis.lrange(RedisKeys.executions(id), 0, -1), "recorded once");
        reap(first);
        Lease second = claim("w2");
        assertFalse(queue.recordExecution(first), "the old holder may not start a run any more");
        assertTrue(queue.recordExecution(second));
        assertEquals(List.of("w1:1", "w2:2"), redis.lrange(RedisKeys.executions(id), 0, -1));
    }

    @Test
    void aLapsedLeaseThatNeverStartedARunDoesNotCountAsAnAttempt() {
        // The claim's reply was lost (a Redis pause): the worker never knew it held the job, never ran it.
        String id = queue.submit(request(null));
        Lease lost = claim("w1");
        assertEquals("1", field(id, JobFields.ATTEMPTS));
        reap(lost);
        assertEquals("0", field(id, JobFields.ATTEMPTS), "no run was recorded under that token");
        Lease ran = claim("w2");
        assertTrue(queue.recordExecution(ran));
        reap(ran);
        assertEquals("1", field(id, JobFields.ATTEMPTS), "a holder that started a run used an attempt");
    }

    @Test
    void anUnreadableStoredRequestEndsTheJobAsInternalError() {
        String id = queue.submit(request(null));
        redis.hset(RedisKeys.job(id), JobFields.REQUEST, "{not json");
        assertTrue(queue.claim("w1", 0.2).isEmpty());
        assertEquals("completed", field(id, JobFields.STATUS));
        assertEquals("internal_error", field(id, JobFields.VERDICT));
        assertTrue(field(id, JobFields.RESULT).contains("cannot be read"), field(id, JobFields.RESULT));
        assertEquals(List.of(), queue.processing("w1"));
    }
}
