package io.codeexec.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.common.tenant.Tenant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

// Submission against a real Redis: backpressure over every queued job, idempotency keys (retries and
// races create one job), and the callback URL kept in the job hash.
class JobSubmitterIT {
    private static final long MAX_QUEUE = 5;
    private static final IdempotencyKey KEY = new IdempotencyKey("10.0.0.1", "order-42");
    private static final Tenant ANON = JobSubmitter.ANONYMOUS;
    private static RedisClient redis;
    private JobSubmitter submitter;

    @BeforeAll
    static void connect() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(24);
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
        submitter = new JobSubmitter(redis, MAX_QUEUE, 600, Clock.systemUTC());
    }

    private static JobRequest request(String code) {
        return new JobRequest("python", code, "", List.of(), LimitPolicy.standard().defaults());
    }

    private static JobRequest withCallback(String code, String url) {
        JobRequest r = request(code);
        return new JobRequest(r.language(), r.code(), r.stdin(), r.args(), r.limits(), url);
    }

    private int jobsStored() {
        return redis.keys(RedisKeys.job("*")).size();
    }

    @Test
    void aRetryWithTheSameKeyGetsTheFirstJobBack() {
        JobSubmitter.Submitted first = submitter.submit(ANON, request("print(1)"), 0, Optional.of(KEY));
        JobSubmitter.Submitted retry = submitter.submit(ANON, request("print(1)"), 3, Optional.of(KEY));
        assertFalse(first.replayed());
        assertTrue(retry.replayed());
        assertEquals(first.id(), retry.id());
        assertEquals(1, jobsStored());
        assertEquals(List.of(first.id()), redis.lrange(RedisKeys.pending(), 0, -1));
        long ttl = redis.ttl(KEY.redisKey());
        assertTrue(ttl > IdempotencyKey.TTL_SECONDS - 10 && ttl <= IdempotencyKey.TTL_SECONDS, "kept 24 h: " + ttl);
        assertFalse(KEY.redisKey().contains("order-42"), "the key itself is hashed: " + KEY.redisKey());
    }

    @Test
    void withoutAKeyEverySubmissionIsANewJob() {
        String a = submitter.submit(ANON, request("print(1)"), 0, Optional.empty()).id();
        String b = submitter.submit(ANON, request("print(1)"), 0, Optional.empty()).id();
        assertFalse(a.equals(b));
        assertEquals(2, jobsStored());
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefusedAndStoresNothing() {
        String first = submitter.submit(ANON, request("print(1)"), 0, Optional.of(KEY)).id();
        assertThrows(IdempotencyKeyReusedException.class, () -> submitter.submit(ANON, request("print(2)"), 0, Optional.of(KEY)));
        assertThrows(IdempotencyKeyReusedException.class,
                () -> submitter.submitBatch(ANON, List.of(request("print(1)")), "{}", null, 0, Optional.of(KEY)));
        assertEquals(1, jobsStored());
        assertEquals(List.of(first), redis.lrange(RedisKeys.pending(), 0, -1));
    }

    @Test
    void keysAreKeptPerClient() {
        String a = submitter.submit(ANON, request("print(1)"), 0, Optional.of(KEY)).id();
        String b = submitter.submit(ANON, request("print(1)"), 0, Optional.of(new IdempotencyKey("10.0.0.2", "order-42"))).id();
        assertFalse(a.equals(b));
        assertEquals(2, jobsStored());
    }

    @Test
    void concurrentSubmissionsWithOneKeyCreateOneJob() throws Exception {
        int clients = 16;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<JobSubmitter.Submitted>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return submitter.submit(ANON, request("print(1)"), 0, Optional.of(KEY));
            }));
        }
        start.countDown();
        Set<String> ids = new HashSet<>();
        int fresh = 0;
        for (Future<JobSubmitter.Submitted> answer : answers) {
            ids.add(answer.get().id());
            fresh += answer.get().replayed() ? 0 : 1;
        }
        pool.shutdown();
        assertEquals(1, ids.size(), "every client got the same id");
        assertEquals(1, fresh, "exactly one submission created it");
        assertEquals(1, jobsStored());
        assertEquals(1, redis.llen(RedisKeys.pending()));
    }

    @Test
    void aReplayIsAnsweredEvenWhenTheQueueIsFullNow() {
        String first = submitter.submit(ANON, request("print(1)"), 0, Optional.of(KEY)).id();
        for (int i = 1; i < MAX_QUEUE; i++) {
            submitter.submit(ANON, request("print(" + i + ")"), 0, Optional.empty());
        }
        assertThrows(QueueFullException.class, () -> submitter.submit(ANON, request("x"), 0, Optional.empty()));
        assertEquals(first, submitter.submit(ANON, request("print(1)"), 0, Optional.of(KEY)).id());
    }

    @Test
    void aRefusedSubmissionDoesNotUseUpItsKey() {
        String first = submitter.submit(ANON, request("print(0)"), 0, Optional.empty()).id();
        for (int i = 1; i < MAX_QUEUE; i++) {
            submitter.submit(ANON, request("print(" + i + ")"), 0, Optional.empty());
        }
        assertThrows(QueueFullException.class, () -> submitter.submit(ANON, request("late"), 0, Optional.of(KEY)));
        assertNull(redis.get(KEY.redisKey()));
        new JobQueue(redis, MAX_QUEUE, 600, Clock.systemUTC()).cancel(first);
        assertFalse(submitter.submit(ANON, request("late"), 0, Optional.of(KEY)).replayed(), "stored on the retry");
    }

    @Test
    void backpressureCountsPendingBatchQueuedAndDelayedJobs() {
        JobQueue queue = new JobQueue(redis, MAX_QUEUE, 600, Clock.systemUTC());
        String released = null;
        for (String code : List.of("r1", "r2")) {
            released = submitter.submit(ANON, request(code), 0, Optional.empty()).id();
            assertEquals(JobQueue.Release.RELEASED, queue.release(queue.claim("w1", 1).orElseThrow(), 60_000));
        }
        submitter.submitBatch(ANON, List.of(request("a"), request("b")), "{}", null, 0, Optional.empty());
        submitter.submit(ANON, request("c"), 0, Optional.empty());  // 2 delayed + 2 in a batch + 1 pending = 5
        assertThrows(QueueFullException.class, () -> submitter.submit(ANON, request("d"), 0, Optional.empty()));
        assertThrows(QueueFullException.class,
                () -> submitter.submitBatch(ANON, List.of(request("e")), "{}", null, 0, Optional.empty()));
        assertEquals(5, jobsStored(), "nothing stored for the refused submissions");
        queue.cancel(released);
        submitter.submit(ANON, request("d"), 0, Optional.empty());
    }

    @Test
    void aBatchRetryWithTheSameKeyGetsTheFirstBatchBack() {
        List<JobRequest> jobs = List.of(request("a"), request("b"));
        JobSubmitter.SubmittedBatch first = submitter.submitBatch(ANON, jobs, "{\"run\":1}", "http://grader.test/hook", 0,
                Optional.of(KEY));
        JobSubmitter.SubmittedBatch retry = submitter.submitBatch(ANON, jobs, "{\"run\":1}", "http://grader.test/hook", 0,
                Optional.of(KEY));
        assertTrue(retry.replayed());
        assertEquals(first.id(), retry.id());
        assertEquals(first.jobIds(), retry.jobIds());
        assertEquals(2, jobsStored());
        assertEquals(List.of(first.id()), redis.lrange(RedisKeys.activeBatches(), 0, -1));
        assertThrows(IdempotencyKeyReusedException.class,
                () -> submitter.submitBatch(ANON, jobs, "{\"run\":2}", "http://grader.test/hook", 0, Optional.of(KEY)));
    }

    @Test
    void theCallbackUrlIsKeptInTheJobHash() {
        String with = submitter.submit(ANON, withCallback("a", "https://grader.test/job"), 0, Optional.empty()).id();
        String without = submitter.submit(ANON, request("b"), 0, Optional.empty()).id();
        assertEquals("https://grader.test/job", redis.hget(RedisKeys.job(with), JobFields.CALLBACK_URL));
        assertEquals("", redis.hget(RedisKeys.job(without), JobFields.CALLBACK_URL),
                "kept empty: the completion scripts need not look into the request");
        JobSubmitter.SubmittedBatch batch = new JobSubmitter(redis, 100, 600, Clock.systemUTC()).submitBatch(ANON,
                List.of(withCallback("c", "https://grader.test/one"), request("d")), "{}", "https://grader.test/batch", 0,
                Optional.empty());
        assertEquals("https://grader.test/one", redis.hget(RedisKeys.job(batch.jobIds().get(0)), JobFields.CALLBACK_URL));
        assertEquals("", redis.hget(RedisKeys.job(batch.jobIds().get(1)), JobFields.CALLBACK_URL));
        assertEquals("https://grader.test/batch", redis.hget(RedisKeys.batch(batch.id()), "callbackUrl"));
    }
}
