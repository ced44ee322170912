package io.codeexec.worker.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.Outbox;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Per-tenant, timestamped callback signatures (issue 11) through real deliveries from the Redis outbox to a
 * receiver on loopback that verifies them as the README tells receivers to (ReceiverVerification): each tenant's
 * callbacks are signed with the callbackSecret of its tenant hash, the anonymous tenant's with CALLBACK_SECRET;
 * a tampered body or a stale timestamp fails; a rotated secret is used once the cache period has passed.
 */
class TenantSignaturesIT {
    private static final String GLOBAL = "global-secret";
    private static final String SECRET_A = "a".repeat(64);
    private static final String SECRET_B = "b".repeat(64);

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
        tenant("tenant-a", SECRET_A);
        tenant("tenant-b", SECRET_B);
    }

    @AfterEach
    void stop() {
        services.forEach(OutboxDelivery::close);
        redis.close();
    }

    /** The tenant hash as the keys part writes it (contracts §1). */
    private void tenant(String id, String secret) {
        redis.hset(RedisKeys.tenant(id), Map.of("name", id, "callbackSecret", secret, "createdAt", Instant.now().toString()));
    }

    private void deliver(String jobId, String tenant, String url) {
        Instant now = Instant.now();
        JobResult result = new JobResult(Verdict.OK, 0, null, "out of " + jobId, "", false, false, 12L, 10L, 1024L, null);
        Map<String, String> hash = new HashMap<>(Map.of("id", jobId, "status", "completed", "language", "python",
                "createdAt", now.toString(), "startedAt", now.toString(), "finishedAt", now.toString(),
                "result", Json.write(result)));
        if (tenant != null) {
            hash.put("tenant", tenant);
        }
        redis.hset(RedisKeys.job(jobId), hash);
        outbox.enqueue(Outbox.Kind.JOB, jobId, url);
    }

    private void startDelivery(Duration secretCache) {
        CallbackConfig config = new CallbackConfig(GLOBAL, 3, Duration.ofMillis(50), Duration.ofSeconds(2), true, 4,
                secretCache);
        OutboxDelivery service = new OutboxDelivery(connector, config, "w1");
        services.add(service);
        service.start();
    }

    private static CallbackReceiver.Delivery next(CallbackReceiver receiver, String jobId) throws InterruptedException {
        CallbackReceiver.Delivery delivery = receiver.next(10);
        assertNotNull(delivery, "the callback of " + jobId + " arrived");
        assertEquals(jobId, Json.read(delivery.body(), JsonNode.class).get("id").asText());
        return delivery;
    }

    @Test
    void aTenantsCallbackVerifiesWithItsOwnSecretAndNothingElse() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(0)) {
            deliver("job-a", "tenant-a", receiver.url());
            startDelivery(CallbackConfig.DEFAULT_SECRET_CACHE);
            CallbackReceiver.Delivery delivery = next(receiver, "job-a");
            String header = delivery.signature();
            assertTrue(header.matches("t=\\d+,v1=[0-9a-f]{64}"), header);
            long t = ReceiverVerification.timestamp(header);
            assertTrue(Math.abs(Instant.now().getEpochSecond() - t) <= 5, "signed now, t=" + t);

            assertTrue(ReceiverVerification.verifyNow(SECRET_A, header, delivery.body()), "the tenant's secret verifies");
            assertFalse(ReceiverVerification.verifyNow(GLOBAL, header, delivery.body()), "not the global secret");
            assertFalse(ReceiverVerification.verifyNow(SECRET_B, header, delivery.body()), "not another tenant's");
            String tampered = delivery.body().replace("out of job-a", "out of job-x");
            assertNotEquals(delivery.body(), tampered);
            assertFalse(ReceiverVerification.verifyNow(SECRET_A, header, tampered), "a tampered body is rejected");
            String replayedAsNew = header.replaceFirst("t=\\d+", "t=" + (t + 10));
            assertFalse(ReceiverVerification.verifyNow(SECRET_A, replayedAsNew, delivery.body()),
                    "the timestamp is signed: moving it breaks the signature");
        }
    }

    @Test
    void aStaleTimestampIsRejectedByTheReceiver() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(0)) {
            deliver("job-stale", "tenant-a", receiver.url());
            startDelivery(CallbackConfig.DEFAULT_SECRET_CACHE);
            CallbackReceiver.Delivery delivery = next(receiver, "job-stale");
            long t = ReceiverVerification.timestamp(delivery.signature());
            assertTrue(ReceiverVerification.verify(SECRET_A, delivery.signature(), delivery.body(), t + 300),
                    "valid up to the end of the 300 s window");
            assertFalse(ReceiverVerification.verify(SECRET_A, delivery.signature(), delivery.body(), t + 301),
                    "a replay 301 s later is rejected");
        }
    }

    @Test
    void twoTenantsGetDifferentSignaturesAndTheAnonymousTenantTheGlobalSecret() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver(0)) {
            startDelivery(CallbackConfig.DEFAULT_SECRET_CACHE);
            deliver("job-a2", "tenant-a", receiver.url());
            CallbackReceiver.Delivery a = next(receiver, "job-a2");
            deliver("job-b2", "tenant-b", receiver.url());
            CallbackReceiver.Delivery b = next(receiver, "job-b2");
            deliver("job-anon", "anonymous", receiver.url());
            CallbackReceiver.Delivery anonymous = next(receiver, "job-anon");
            deliver("job-untagged", null, receiver.url());
            CallbackReceiver.Delivery untagged = next(receiver, "job-untagged");

            assertTrue(ReceiverVerification.verifyNow(SECRET_A, a.signature(), a.body()));
            assertFalse(ReceiverVerification.verifyNow(SECRET_A, b.signature(), b.body()), "B's is not A's");
            assertTrue(ReceiverVerification.verifyNow(SECRET_B, b.signature(), b.body()));
            assertFalse(ReceiverVerification.verifyNow(SECRET_B, a.signature(), a.body()), "A's is not B's");
            assertTrue(ReceiverVerification.verifyNow(GLOBAL, anonymous.signature(), anonymous.body()));
            assertTrue(ReceiverVerification.verifyNow(GLOBAL, untagged.signature(), untagged.body()));
        }
    }

    @Test
    void aTenantWithoutASecretFallsBackToTheGlobalOne() throws Exception {
        redis.hset(RedisKeys.tenant("tenant-c"), Map.of("name", "c"));
        try (CallbackReceiver receiver = new CallbackReceiver(0)) {
            deliver("job-c", "tenant-c", receiver.url());
            startDelivery(CallbackConfig.DEFAULT_SECRET_CACHE);
            CallbackReceiver.Delivery delivery = next(receiver, "job-c");
            assertTrue(ReceiverVerification.verifyNow(GLOBAL, delivery.signature(), delivery.body()));
        }
    }

    @Test
    void aRotatedSecretSignsOnceTheCachePeriodHasPassed() throws Exception {
        Duration cache = Duration.ofSeconds(2);
        String rotated = "c".repeat(64);
        try (CallbackReceiver receiver = new CallbackReceiver(0)) {
            startDelivery(cache);
            deliver("job-before", "tenant-a", receiver.url());
            CallbackReceiver.Delivery before = next(receiver, "job-before");
            assertTrue(ReceiverVerification.verifyNow(SECRET_A, before.signature(), before.body()));

            tenant("tenant-a", rotated);  // what POST /admin/keys/{id}/callback-secret writes
            long rotatedAt = System.nanoTime();
            Thread.sleep(cache.toMillis() + 200);
            deliver("job-after", "tenant-a", receiver.url());
            CallbackReceiver.Delivery after = next(receiver, "job-after");
            assertTrue(Duration.ofNanos(System.nanoTime() - rotatedAt).compareTo(cache) > 0);
            assertTrue(ReceiverVerification.verifyNow(rotated, after.signature(), after.body()), "the new secret signs");
            assertFalse(ReceiverVerification.verifyNow(SECRET_A, after.signature(), after.body()), "the old one no longer");
            assertNull(receiver.next(1), "one delivery per callback");
        }
    }
}
