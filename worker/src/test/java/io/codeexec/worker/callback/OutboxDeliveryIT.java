package io.codeexec.worker.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.Outbox;
import io.codeexec.common.queue.QueueStats;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;

/**
 * Delivery from the Redis outbox to a real HTTP server on loopback: signed, retried with backoff, given up at
 * the maximum, SSRF-guarded, cut at the deadline, taken over from a dead worker, never doubled, and counted.
 */
class OutboxDeliveryIT {
    private static final String SECRET = "s3cret";

    private RedisConnector connector;
    private RedisClient redis;
    private Outbox outbox;
    private final List<OutboxDelivery> services = new ArrayList<>();

    @BeforeEach
    void freshRedis() {
        connector = new RedisConnector(RedisTestServer.url());
        redis = connector.pooled(4);
        redis.flushAll();
        outbox = new Outbox(redis);
        outbox.ensureGroup();
    }

    @AfterEach
    void stop() {
        services.forEach(OutboxDelivery::close);
        redis.close();
    }

    private static CallbackConfig config(int maxAttempts, Duration timeout, boolean allowPrivate, int concurrency) {
        return new CallbackConfig(SECRET, maxAttempts, Duration.ofMillis(50), timeout, allowPrivate, concurrency);
    }

    private static CallbackConfig config(int maxAttempts) {
        return config(maxAttempts, Duration.ofSeconds(2), true, 8);
    }

    private OutboxDelivery service(String consumer, CallbackConfig config) {
        OutboxDelivery service = new OutboxDelivery(connector, config, consumer);
        services.add(service);
        return service.start();
    }

    /** A finished job as complete.lua leaves it: what GET /jobs/{id} shows. */
    private String finishedJob(String id, String stdout) {
        Instant now = Instant.now();
        JobResult result = new JobResult(Verdict.OK, 0, null, stdout, "", false, false, 12L, 10L, 1024L, null);
        redis.hset(RedisKeys.job(id), Map.of("id", id, "status", "completed", "language", "python",
                "createdAt", now.toString(), "startedAt", now.toString(), "finishedAt", now.toString(),
                "result", Json.write(result)));
        return id;
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private void awaitEmptyBacklog() throws InterruptedException {
        await("an empty backlog", 10, () -> outbox.backlog().total() == 0);
    }

    private static String jobIdOf(CallbackReceiver.Delivery delivery) {
        return Json.read(delivery.body(), JsonNode.class).get("id").asText();
    }

    @Test
    void deliversTheJobDocumentSignedWithTheSecret() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(0)) {
            outbox.enqueue(Outbox.Kind.JOB, finishedJob("job-signed", "42\n"), receiver.url());
            service("w1", config(5));
            CallbackReceiver.Delivery delivery = receiver.next(10);
            assertNotNull(delivery, "the callback arrived");
            assertTrue(ReceiverVerification.verifyNow(SECRET, delivery.signature(), delivery.body()), delivery.signature());
            assertTrue(delivery.signature().matches("t=\\d+,v1=[0-9a-f]{64}"), delivery.signature());
            assertEquals("1", delivery.attempt());
            JsonNode job = Json.read(delivery.body(), JsonNode.class);
            assertEquals("job-signed", job.get("id").asText());
            assertEquals("completed", job.get("status").asText());
            assertEquals("42\n", job.get("result").get("stdout").asText());
            awaitEmptyBacklog();
            assertEquals(0, outbox.backlog().dropped());
        }
    }

    @Test
    void aBatchCallbackCarriesTheBatchDocument() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(0)) {
            redis.hset(RedisKeys.batch("b1"), Map.of("total", "1", "done", "1", "createdAt", Instant.now().toString()));
            redis.rpush(RedisKeys.batchJobs("b1"), finishedJob("b1-job", "1\n"));
            outbox.enqueue(Outbox.Kind.BATCH, "b1", receiver.url());
            service("w1", config(5));
            CallbackReceiver.Delivery delivery = receiver.next(10);
            assertNotNull(delivery);
            JsonNode batch = Json.read(delivery.body(), JsonNode.class);
            assertEquals("b1", batch.get("id").asText());
            assertEquals(1, batch.get("completed").asInt(), delivery.body());
            assertTrue(ReceiverVerification.verifyNow(SECRET, delivery.signature(), delivery.body()), delivery.signature());
        }
    }

    @Test
    void retriesAfterA500ThenSucceeds() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(1)) {
            outbox.enqueue(Outbox.Kind.JOB, finishedJob("job-retry", "x"), receiver.url());
            service("w1", config(5));
            assertEquals("1", receiver.next(10).attempt());
            CallbackReceiver.Delivery retry = receiver.next(10);
            assertNotNull(retry, "the 500 was retried");
            assertEquals("2", retry.attempt());
            assertEquals("job-retry", jobIdOf(retry));
            assertNull(receiver.next(2), "no delivery after the one that succeeded");
            awaitEmptyBacklog();
            assertEquals(0, outbox.backlog().dropped());
        }
    }

    @Test
    void givesUpAtTheMaximumAndCountsIt() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(100)) {
            outbox.enqueue(Outbox.Kind.JOB, finishedJob("job-failing", "x"), receiver.url());
            service("w1", config(3));
            for (int attempt = 1; attempt <= 3; attempt++) {
                CallbackReceiver.Delivery delivery = receiver.next(10);
                assertNotNull(delivery, "attempt " + attempt);
                assertEquals(Integer.toString(attempt), delivery.attempt());
            }
            assertNull(receiver.next(3), "three attempts and no more");
            awaitEmptyBacklog();
            assertEquals(1, outbox.backlog().dropped());
        }
    }

    @Test
    void refusesLoopbackUnlessTheOperatorAllowsIt() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(0)) {
            outbox.enqueue(Outbox.Kind.JOB, finishedJob("job-ssrf", "x"), receiver.url());
            outbox.enqueue(Outbox.Kind.JOB, "job-ssrf", receiver.url().replace("127.0.0.1", "localhost"));
            service("w1", config(5, Duration.ofSeconds(2), false, 8));
            await("both refusals", 10, () -> outbox.backlog().dropped() == 2);
            assertNull(receiver.next(1), "a loopback callback is never sent by default");
            assertEquals(0, outbox.backlog().total());
        }
    }

    @Test
    void aBodyTrickledForeverIsCutAtTheDeadlineAndRetriedAndFreesItsSlot() throws Exception {
        try (CallbackReceiver receiver = CallbackReceiver.trickling(1)) {
            outbox.enqueue(Outbox.Kind.JOB, finishedJob("job-trickled", "x"), receiver.url());
            outbox.enqueue(Outbox.Kind.JOB, finishedJob("job-next", "y"), receiver.url());
            service("w1", config(5, Duration.ofSeconds(1), true, 1));  // one slot: the trickle holds it

            CallbackReceiver.Delivery first = receiver.next(10);
            assertEquals("job-trickled", jobIdOf(first));
            Long cutMs = receiver.nextCut(10);
            assertNotNull(cutMs, "the exchange was cut");
            assertTrue(cutMs >= 800 && cutMs < 3_000, "cut after " + cutMs + " ms, deadline 1000 ms");

            Set<String> rest = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                CallbackReceiver.Delivery delivery = receiver.next(10);
                assertNotNull(delivery, "delivery " + i + " after the cut");
                rest.add(jobIdOf(delivery) + "#" + delivery.attempt());
            }
            assertEquals(Set.of("job-next#1", "job-trickled#2"), rest, "the slot was freed and the cut one retried");
            awaitEmptyBacklog();
        }
    }

    @Test
    void aWorkerKilledMidDeliveryLosesNothing() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(0)) {
            outbox.enqueue(Outbox.Kind.JOB, finishedJob("job-orphaned", "x"), receiver.url());
            // Worker A reads the entry and dies before delivering it: the entry is pending for A, unacknowledged.
            var read = redis.xreadGroup(RedisKeys.OUTBOX_GROUP, "worker-a", XReadGroupParams.xReadGroupParams().count(1),
                    Map.of(RedisKeys.outbox(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            long readAt = System.nanoTime();
            assertEquals(1, read.getFirst().getValue().size());
            assertEquals(1, redis.xpending(RedisKeys.outbox(), RedisKeys.OUTBOX_GROUP).getTotal());

            CallbackConfig config = config(5, Duration.ofSeconds(1), true, 8);
            service("worker-b", config);
            CallbackReceiver.Delivery delivery = receiver.next(15);
            long afterMs = Duration.ofNanos(System.nanoTime() - readAt).toMillis();
            assertNotNull(delivery, "worker B took the entry over and delivered it");
            assertEquals("job-orphaned", jobIdOf(delivery));
            assertEquals("1", delivery.attempt(), "a crash is not a failed attempt");
            assertTrue(afterMs >= config.claimIdle().toMillis() - 100,
                    "taken over only after the claim timeout, got " + afterMs + " ms");
            awaitEmptyBacklog();
            assertEquals(0, redis.xpending(RedisKeys.outbox(), RedisKeys.OUTBOX_GROUP).getTotal());
            assertNull(receiver.next(2), "delivered once");
        }
    }

    @Test
    void aStoppingWorkerLeavesItsUnfinishedDeliveryForAnother() throws Exception {
        try (CallbackReceiver receiver = CallbackReceiver.trickling(1)) {
            outbox.enqueue(Outbox.Kind.JOB, finishedJob("job-in-flight", "x"), receiver.url());
            CallbackConfig config = config(5, Duration.ofSeconds(5), true, 8);  // deadline beyond the shutdown grace
            OutboxDelivery a = service("worker-a", config);
            assertNotNull(receiver.next(10), "A started delivering");
            long closing = System.nanoTime();
            a.close();
            long closeMs = Duration.ofNanos(System.nanoTime() - closing).toMillis();
            assertTrue(closeMs < config.timeout().toMillis(), "close waited " + closeMs + " ms");
            assertNotNull(receiver.nextCut(5), "A's exchange was cut");
            assertEquals(Map.of("worker-a", 1L), redis.xpending(RedisKeys.outbox(), RedisKeys.OUTBOX_GROUP)
                    .getConsumerMessageCount(), "the entry stays pending, held by the stopped A");

            service("worker-b", config);
            CallbackReceiver.Delivery delivery = receiver.next(30);
            assertNotNull(delivery, "B delivered it");
            assertEquals("job-in-flight", jobIdOf(delivery));
            assertEquals("1", delivery.attempt());
            awaitEmptyBacklog();
        }
    }

    @Test
    void twoWorkersNeverDeliverTheSameEntryTwice() throws Exception {
        int callbacks = 60;
        try (CallbackReceiver receiver = new CallbackReceiver(0)) {
            service("worker-a", config(5, Duration.ofSeconds(2), true, 4));
            service("worker-b", config(5, Duration.ofSeconds(2), true, 4));
            for (int i = 0; i < callbacks; i++) {
                outbox.enqueue(Outbox.Kind.JOB, finishedJob("job-" + i, Integer.toString(i)), receiver.url());
            }
            List<String> delivered = new ArrayList<>();
            for (int i = 0; i < callbacks; i++) {
                CallbackReceiver.Delivery delivery = receiver.next(15);
                assertNotNull(delivery, "delivery " + i);
                delivered.add(jobIdOf(delivery));
            }
            assertNull(receiver.next(2), "nothing beyond one delivery per callback");
            assertEquals(callbacks, new HashSet<>(delivered).size(), "each job called back exactly once");
            awaitEmptyBacklog();
        }
    }

    @Test
    void deliveriesInFlightNeverExceedTheConcurrency() throws Exception {
        int callbacks = 9;
        try (CallbackReceiver receiver = CallbackReceiver.slow(400)) {
            for (int i = 0; i < callbacks; i++) {
                outbox.enqueue(Outbox.Kind.JOB, finishedJob("job-c" + i, "x"), receiver.url());
            }
            service("w1", config(5, Duration.ofSeconds(5), true, 3));
            for (int i = 0; i < callbacks; i++) {
                assertNotNull(receiver.next(15), "delivery " + i);
            }
            awaitEmptyBacklog();
            assertEquals(3, receiver.mostInFlight(), "three at once, never more");
        }
    }

    @Test
    void theBacklogGoesUpAndBackToZeroAndShowsInTheStats() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(3)) {
            for (int i = 0; i < 3; i++) {
                outbox.enqueue(Outbox.Kind.JOB, finishedJob("job-b" + i, "x"), receiver.url());
            }
            QueueStats stats = new QueueStats(redis);
            assertEquals(new Outbox.Backlog(3, 0, 0), stats.read().callbacks());

            // Each first attempt fails; with a long first retry the three wait in the retries set for a while.
            CallbackConfig slowRetry = new CallbackConfig(SECRET, 5, Duration.ofSeconds(2), Duration.ofSeconds(2), true, 8);
            service("w1", slowRetry);
            await("three retries scheduled", 10, () -> stats.read().callbacks().equals(new Outbox.Backlog(0, 3, 0)));
            await("all delivered", 15, () -> stats.read().callbacks().equals(new Outbox.Backlog(0, 0, 0)));
            assertEquals(6, receiver.received().size());
        }
    }
}
