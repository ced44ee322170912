package io.codeexec.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.json.Json;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.common.tenant.Tenant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.args.ListDirection;

// The queue contract against a real Redis: every transition is one Lua script that checks status and
// owner, so these tests are what guarantees a job is never lost, run twice or overwritten.
class JobQueueIT {
    private static final long TTL_SECONDS = 3600;
    private static final JobResult OK = new JobResult(Verdict.OK, 0, null, "real\n", "", false, false, 5L, 4L, 1000L, null);
    private static final JobResult LATE = new JobResult(Verdict.OK, 0, null, "late\n", "", false, false, 5L, 4L, 1000L, null);

    private static RedisConnector connector;
    private static RedisClient redis;
    private JobQueue queue;
    private JobStore store;

    @BeforeAll
    static void connect() {
        connector = new RedisConnector(RedisTestServer.url());
        redis = connector.pooled(4);
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
        queue = new JobQueue(redis, 100, TTL_SECONDS, Clock.systemUTC());
        store = new JobStore(redis);
    }

    private static JobRequest request(String code) {
        return new JobRequest("python", code, "in", List.of("a"), LimitPolicy.standard().defaults());
    }

    private String status(String id) {
        return redis.hget(RedisKeys.job(id), "status");
    }

    private List<String> pending() {
        return redis.lrange(RedisKeys.pending(), 0, -1);
    }

    /** A stale copy of an id on the anonymous tenant's pending list (as a race would leave), the tenant in turn. */
    private void pushStale(String id) {
        redis.rpush(RedisKeys.pending(), id);
        if (redis.lpos(RedisKeys.tenants(), Tenant.ANONYMOUS_ID) == null) {
            redis.rpush(RedisKeys.tenants(), Tenant.ANONYMOUS_ID);
        }
    }

    private String claimId(String worker) {
        return claimLease(worker).id();
    }

    private Lease claimLease(String worker) {
        return queue.claim(worker, 1).orElseThrow(() -> new AssertionError("nothing claimed"));
    }

    /** Moves the job's lease end into the past, as if its holder had stopped renewing 30 s ago. */
    private void lapse(String id) {
        redis.hset(RedisKeys.job(id), JobFields.LEASE_UNTIL, "1");
    }

    /** What the reaper does for a lease that lapsed. */
    private void reap(Lease lease) {
        lapse(lease.id());
        assertTrue(queue.requeueLapsed(lease.id(), lease.token()), "the reaper gives the job back");
    }

    // --- submit

    @Test
    void submitStoresTheJobAndQueuesItsId() {
        JobRequest request = request("print(1)");
        String id = queue.submit(request);
        assertEquals(List.of(id), pending());
        Map<String, String> hash = redis.hgetAll(RedisKeys.job(id));
        assertEquals("queued", hash.get("status"));
        assertEquals("python", hash.get("language"));
        assertEquals(request, Json.read(hash.get("request"), JobRequest.class));
        assertEquals("0", hash.get("attempts"));
        Job job = store.find(id).orElseThrow();
        assertEquals(JobStatus.QUEUED, job.status());
        assertNotNull(job.createdAt());
        assertNull(job.startedAt());
        assertNull(job.result());
        assertEquals(-1, redis.ttl(RedisKeys.job(id)), "a queued job never expires");
    }

    @Test
    void jobsAreClaimedInSubmissionOrder() {
        String first = queue.submit(request("1"));
        String second = queue.submit(request("2"));
        String third = queue.submit(request("3"));
        assertEquals(List.of(first, second, third), List.of(claimId("w"), claimId("w"), claimId("w")));
    }

    @Test
    void fullQueueRefusesAndStoresNothing() {
        JobQueue small = new JobQueue(redis, 2, TTL_SECONDS, Clock.systemUTC());
        small.submit(request("1"));
        small.submit(request("2"));
        assertThrows(QueueFullException.class, () -> small.submit(request("3")));
        assertEquals(2, small.pendingCount());
        assertEquals(2, redis.keys(RedisKeys.job("*")).size(), "the refused job left no hash behind");
    }

    @Test
    void concurrentSubmitsNeverOvershootTheMaximum() throws Exception {
        JobQueue five = new JobQueue(redis, 5, TTL_SECONDS, Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    try {
                        five.submit(request("x"));
                        accepted.incrementAndGet();
                    } catch (QueueFullException e) {
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(5, accepted.get());
        assertEquals(15, refused.get());
        assertEquals(5, five.pendingCount());
        assertEquals(5, redis.keys(RedisKeys.job("*")).size());
    }

    // --- claim

    @Test
    void claimMovesTheIdToTheWorkersProcessingListAndMarksItRunning() {
        JobRequest request = request("print(2)");
        String id = queue.submit(request);
        Lease claimed = queue.claim("w1", 1).orElseThrow();
        assertEquals(id, claimed.id());
        assertEquals(request, claimed.request());
        assertEquals(1, claimed.attempts());
        assertEquals(1, claimed.token());
        assertEquals("w1", claimed.worker());
        assertEquals(List.of(), pending());
        assertEquals(List.of(id), queue.processing("w1"));
        assertEquals("running", status(id));
        assertEquals("w1", redis.hget(RedisKeys.job(id), "worker"));
        assertEquals("1", redis.hget(RedisKeys.job(id), "attempts"));
        assertNotNull(store.find(id).orElseThrow().startedAt());
    }

    @Test
    void claimOnAnEmptyQueueWaitsThenAnswersEmpty() {
        long start = System.nanoTime();
        assertTrue(queue.claim("w1", 0.3).isEmpty());
        assertTrue(System.nanoTime() - start >= 250_000_000L, "it blocked for the timeout");
        assertEquals(List.of(), queue.processing("w1"));
    }

    @Test
    void claimOfACancelledJobAnswersEmptyAndLeavesNoTrace() {
        String id = queue.submit(request("x"));
        assertEquals(CancelOutcome.CANCELLED_WHILE_QUEUED, queue.cancel(id));
        pushStale(id);  // a stale copy, as a race with the pop would leave
        assertTrue(queue.claim("w1", 1).isEmpty());
        assertEquals(List.of(), queue.processing("w1"));
        assertEquals(List.of(), pending());
        assertEquals("cancelled", status(id));
        assertNull(redis.hget(RedisKeys.job(id), "worker"));
    }

    @Test
    void claimOfAVanishedJobAnswersEmpty() {
        pushStale("0123456789abcdef0123456789abcdef");
        assertTrue(queue.claim("w1", 1).isEmpty());
        assertEquals(List.of(), queue.processing("w1"));
        assertFalse(redis.exists(RedisKeys.job("0123456789abcdef0123456789abcdef")), "claim created no hash");
    }

    // --- complete

    @Test
    void completeStoresTheResultWithATtlAcknowledgesAndPublishes() throws Exception {
        String id = queue.submit(request("x"));
        Lease lease = claimLease("w1");
        try (Subscriber done = Subscriber.on(connector, RedisKeys.doneChannel())) {
            assertTrue(queue.complete(lease, OK));
            assertEquals(id, done.next(), "the id was published on the done channel");
        }
        Job job = store.find(id).orElseThrow();
        assertEquals(JobStatus.COMPLETED, job.status());
        assertEquals(OK, job.result());
        assertNotNull(job.finishedAt());
        long ttl = redis.ttl(RedisKeys.job(id));
        assertTrue(ttl > 0 && ttl <= TTL_SECONDS, "ttl " + ttl);
        assertEquals(List.of(), queue.processing("w1"));
        assertNull(redis.hget(RedisKeys.job(id), "request"), "the request is dropped once finished");
        assertEquals("1", redis.hget(RedisKeys.stats(), "completed"));
    }

    @Test
    void anInternalErrorCountsAsFailed() {
        queue.submit(request("x"));
        assertTrue(queue.complete(claimLease("w1"), JobResult.internalError("docker went away")));
        assertEquals("1", redis.hget(RedisKeys.stats(), "failed"));
        assertNull(redis.hget(RedisKeys.stats(), "completed"));
    }

    @Test
    void aLateResultFromAPresumedDeadWorkerIsDiscarded() {
        String id = queue.submit(request("x"));
        Lease first = claimLease("dead");
        assertTrue(queue.recordExecution(first), "it started running before it died");
        reap(first);
        Lease again = queue.claim("alive", 1).orElseThrow();
        assertEquals(2, again.attempts());
        assertEquals(2, again.token());
        assertTrue(queue.complete(again, OK));
        assertFalse(queue.complete(first, LATE), "the old owner's result is late");
        assertEquals(OK, store.find(id).orElseThrow().result());
        assertEquals("1", redis.hget(RedisKeys.stats(), "completed"), "counted once");
    }

    @Test
    void aLateResultArrivingBeforeTheNewOwnersIsDiscardedToo() {
        String id = queue.submit(request("x"));
        Lease first = claimLease("dead");
        reap(first);
        Lease second = claimLease("alive");
        assertFalse(queue.complete(first, LATE));
        assertEquals("running", status(id));
        assertEquals(List.of(id), queue.processing("alive"), "the new owner's claim is untouched");
        assertTrue(queue.complete(second, OK));
        assertEquals(OK, store.find(id).orElseThrow().result());
    }

    @Test
    void completeOfACancelledJobIsDiscarded() {
        String id = queue.submit(request("x"));
        Lease lease = claimLease("w1");
        assertEquals(CancelOutcome.CANCELLED_WHILE_RUNNING, queue.cancel(id));
        assertFalse(queue.complete(lease, OK));
        Job job = store.find(id).orElseThrow();
        assertEquals(JobStatus.CANCELLED, job.status());
        assertNull(job.result());
        assertEquals(List.of(), queue.processing("w1"), "the claim is still acknowledged");
        assertNull(redis.hget(RedisKeys.stats(), "completed"));
    }

    // --- cancel

    @Test
    void cancelQueuedTakesItOutOfPending() throws Exception {
        String keep = queue.submit(request("keep"));
        String id = queue.submit(request("x"));
        try (Subscriber done = Subscriber.on(connector, RedisKeys.doneChannel())) {
            assertEquals(CancelOutcome.CANCELLED_WHILE_QUEUED, queue.cancel(id));
            assertEquals(id, done.next());
        }
        assertEquals(List.of(keep), pending());
        assertEquals("cancelled", status(id));
        assertNotNull(store.find(id).orElseThrow().finishedAt());
        long ttl = redis.ttl(RedisKeys.job(id));
        assertTrue(ttl > 0 && ttl <= TTL_SECONDS, "ttl " + ttl);
        assertEquals("1", redis.hget(RedisKeys.stats(), "cancelled"));
        assertEquals(keep, claimId("w1"), "the cancelled job is never claimed");
    }

    @Test
    void cancelRunningPublishesOnTheCancelChannel() throws Exception {
        String id = queue.submit(request("x"));
        claimId("w1");
        try (Subscriber cancels = Subscriber.on(connector, RedisKeys.cancelChannel())) {
            assertEquals(CancelOutcome.CANCELLED_WHILE_RUNNING, queue.cancel(id));
            assertEquals(id, cancels.next());
        }
        assertEquals("cancelled", status(id));
        assertTrue(queue.isCancelled(id));
    }

    @Test
    void cancelQueuedDoesNotPublishOnTheCancelChannel() throws Exception {
        String id = queue.submit(request("x"));
        try (Subscriber cancels = Subscriber.on(connector, RedisKeys.cancelChannel())) {
            queue.cancel(id);
            assertNull(cancels.poll(300), "no worker holds it, so none needs to kill anything");
        }
    }

    @Test
    void cancelFinishedOrUnknown() {
        String done = queue.submit(request("x"));
        queue.complete(claimLease("w1"), OK);
        assertEquals(CancelOutcome.ALREADY_FINISHED, queue.cancel(done));
        assertEquals("completed", status(done));
        assertEquals(OK, store.find(done).orElseThrow().result());

        String cancelled = queue.submit(request("y"));
        queue.cancel(cancelled);
        assertEquals(CancelOutcome.ALREADY_FINISHED, queue.cancel(cancelled));
        assertEquals("1", redis.hget(RedisKeys.stats(), "cancelled"), "cancelling twice counts once");

        assertEquals(CancelOutcome.NOT_FOUND, queue.cancel("0123456789abcdef0123456789abcdef"));
        assertFalse(redis.exists(RedisKeys.job("0123456789abcdef0123456789abcdef")));
    }

    // --- requeue

    @Test
    void requeuePutsTheJobAtTheHeadKeepingItsAttempts() {
        String id = queue.submit(request("x"));
        Lease lease = claimLease("w1");
        String later = queue.submit(request("later"));
        assertTrue(queue.requeue(lease));
        assertEquals("queued", status(id));
        assertNull(redis.hget(RedisKeys.job(id), "worker"));
        assertEquals(List.of(), queue.processing("w1"));
        assertEquals(JobStatus.QUEUED, store.find(id).orElseThrow().status());
        Lease next = queue.claim("w2", 1).orElseThrow();
        assertEquals(id, next.id(), "the requeued job runs before the one queued after it");
        assertEquals(2, next.attempts());
        assertEquals("w2", redis.hget(RedisKeys.job(id), "worker"));
        assertEquals(later, claimId("w2"));
    }

    @Test
    void requeueWithoutTheCurrentTokenChangesNothing() {
        String id = queue.submit(request("x"));
        Lease lease = claimLease("owner");
        assertFalse(queue.requeue(new Lease(id, lease.request(), lease.token() + 1, 1, "owner")));
        assertEquals("running", status(id));
        assertEquals("owner", redis.hget(RedisKeys.job(id), "worker"));
        assertEquals(List.of(), pending());
        assertEquals(List.of(id), queue.processing("owner"));
    }

    @Test
    void requeueRecoversAJobPoppedButNeverMarkedRunning() {
        // A worker died between the BLMOVE and the claim script: the id is in its list, the job still queued.
        String id = queue.submit(request("x"));
        redis.lmove(RedisKeys.pending(), RedisKeys.processing("dead"),
                ListDirection.RIGHT, ListDirection.LEFT);
        assertTrue(queue.returnUnclaimed("dead", id));
        assertEquals(List.of(id), pending());
        assertEquals(List.of(), queue.processing("dead"));
        assertEquals(1, queue.claim("w1", 1).orElseThrow().attempts());
    }

    @Test
    void requeueOfAQueuedJobNotHeldByTheWorkerDoesNotDuplicateIt() {
        // queued -> queued is not a transition: a worker that never held the job must not push it again.
        String id = queue.submit(request("x"));
        assertFalse(queue.returnUnclaimed("stranger", id));
        assertEquals(List.of(id), pending(), "the job is queued exactly once");
    }

    // --- the transition table, as enforced by the scripts

    @Test
    void completedCannotRunAgain() {
        String id = queue.submit(request("x"));
        queue.complete(claimLease("w1"), OK);
        pushStale(id);  // a stale duplicate
        assertTrue(queue.claim("w2", 1).isEmpty(), "completed -> running refused");
        assertEquals("completed", status(id));
        assertEquals("w1", redis.hget(RedisKeys.job(id), "worker"));
        assertEquals(List.of(), queue.processing("w2"));
    }

    @Test
    void completedCannotBeCompletedAgainOrRequeued() {
        String id = queue.submit(request("x"));
        Lease lease = claimLease("w1");
        queue.complete(lease, OK);
        assertTrue(queue.complete(lease, LATE), "the same lease again is a repeat, answered as the first");
        assertEquals(OK, store.find(id).orElseThrow().result(), "and stores nothing");
        assertFalse(queue.complete(new Lease(id, null, lease.token() + 1, 1, "w1"), LATE), "another token is refused");
        assertFalse(queue.requeue(lease), "completed -> queued refused");
        assertEquals("completed", status(id));
        assertEquals(List.of(), pending());
        assertEquals("1", redis.hget(RedisKeys.stats(), "completed"));
    }

    @Test
    void cancelledCannotBeCompletedRequeuedOrRun() {
        String id = queue.submit(request("x"));
        Lease lease = claimLease("w1");
        queue.cancel(id);
        assertFalse(queue.complete(lease, OK), "cancelled -> completed refused");
        assertFalse(queue.requeue(lease), "cancelled -> queued refused");
        assertEquals(List.of(), pending());
        pushStale(id);
        assertTrue(queue.claim("w1", 1).isEmpty(), "cancelled -> running refused");
        assertEquals("cancelled", status(id));
        assertNull(store.find(id).orElseThrow().result());
    }

    @Test
    void queuedCannotBeCompletedWithoutAClaim() {
        String id = queue.submit(request("x"));
        assertFalse(queue.complete(new Lease(id, null, 1, 1, "w1"), OK), "queued -> completed refused");
        assertEquals("queued", status(id));
        assertEquals(List.of(id), pending());
        assertNull(redis.hget(RedisKeys.job(id), "result"));
    }

    @Test
    void runningCannotBeClaimedByASecondWorker() {
        String id = queue.submit(request("x"));
        claimId("w1");
        pushStale(id);  // a stale duplicate
        assertTrue(queue.claim("w2", 1).isEmpty(), "running -> running refused");
        assertEquals("w1", redis.hget(RedisKeys.job(id), "worker"));
        assertEquals("1", redis.hget(RedisKeys.job(id), "attempts"));
        assertEquals(List.of(), queue.processing("w2"));
    }

    @Test
    void aCompleteForAnUnknownJobCreatesNothing() {
        String id = "0123456789abcdef0123456789abcdef";
        Lease forged = new Lease(id, null, 1, 1, "w1");
        assertFalse(queue.complete(forged, OK));
        assertFalse(queue.requeue(forged));
        assertFalse(redis.exists(RedisKeys.job(id)));
        assertEquals(List.of(), pending());
    }

    /** A subscriber on its own connection; {@link #on} returns once Redis confirmed the subscription. */
    static final class Subscriber implements AutoCloseable {
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final JedisPubSub pubSub = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                messages.add(message);
            }

            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }
        };
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private final Jedis jedis;
        private final Thread thread;

        private Subscriber(RedisConnector connector, String channel) {
            jedis = connector.single();
            thread = Thread.ofVirtual().start(() -> jedis.subscribe(pubSub, channel));
        }

        static Subscriber on(RedisConnector connector, String channel) throws InterruptedException {
            Subscriber subscriber = new Subscriber(connector, channel);
            if (!subscriber.subscribed.await(5, TimeUnit.SECONDS)) {
                subscriber.close();
                throw new AssertionError("not subscribed to " + channel);
            }
            return subscriber;
        }

        String next() throws InterruptedException {
            String message = poll(5000);
            if (message == null) {
                throw new AssertionError("nothing published");
            }
            return message;
        }

        String poll(long millis) throws InterruptedException {
            return messages.poll(millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            if (pubSub.isSubscribed()) {
                pubSub.unsubscribe();
            }
            thread.join(2000);
            jedis.close();
        }
    }
}
