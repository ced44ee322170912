package io.codeexec.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.tenant.RateLimitedException;
import io.codeexec.common.tenant.Tenant;
import io.codeexec.common.tenant.TokenBucket;
import io.codeexec.common.testing.RedisTestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

// The rate limit taken by the submit script itself (the front door's one round trip), through the
// pipeline the API uses: admitted submissions pay, a refusal queues nothing, and a replay or a
// submission refused for another reason costs nothing; the bucket is the same one the gate draws from.
class ChargedSubmitIT {
    private static final Tenant ANON = JobSubmitter.ANONYMOUS;
    private static final long RATE = 5;
    private static RedisClient redis;
    private static ScriptPipeline pipeline;
    private TokenBucket bucket;

    @BeforeAll
    static void connect() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(8);
        pipeline = new ScriptPipeline(redis, 2);
    }

    @AfterAll
    static void close() {
        pipeline.close();
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
        bucket = new TokenBucket(pipeline, Duration.ofMinutes(1));
    }

    private JobSubmitter submitter(long maxQueue) {
        return new JobSubmitter(redis, pipeline, maxQueue, 600, Clock.systemUTC());
    }

    private static JobRequest request(String code) {
        return new JobRequest("python", code, "", List.of(), LimitPolicy.standard().defaults());
    }

    private Optional<TokenBucket.Charge> charge() {
        return Optional.of(bucket.charge("ip:10.0.0.9", RATE, 1));
    }

    @Test
    void admittedSubmissionsPayAndTheEmptyBucketRefusesWithoutQueueing() {
        JobSubmitter submitter = submitter(100);
        for (int i = 0; i < RATE; i++) {
            JobSubmitter.Submitted s = submitter.submit(ANON, request("print(" + i + ")"), 0, Optional.empty(), charge());
            TokenBucket.Decision d = s.rate().orElseThrow();
            assertTrue(d.admitted());
            assertEquals(RATE - 1 - i, d.remaining());
            assertEquals(RATE, d.capacity());
        }
        RateLimitedException refused = assertThrows(RateLimitedException.class,
                () -> submitter.submit(ANON, request("print(9)"), 0, Optional.empty(), charge()));
        assertFalse(refused.decision().admitted());
        assertTrue(refused.decision().retryAfterMs() > 11_000 && refused.decision().retryAfterMs() <= 12_000,
                "one token per 12 s: " + refused.decision());
        assertEquals(RATE, redis.keys(RedisKeys.job("*")).size(), "the refused submission stored nothing");
        assertEquals(Long.toString(RATE), redis.get(RedisKeys.queued()));
        assertFalse(bucket.take("ip:10.0.0.9", RATE, 1).admitted(), "the gate draws from the same bucket");
    }

    @Test
    void aReplayCostsNothing() {
        JobSubmitter submitter = submitter(100);
        IdempotencyKey key = new IdempotencyKey("10.0.0.9", "retry-me");
        JobSubmitter.Submitted first = submitter.submit(ANON, request("print(1)"), 0, Optional.of(key), charge());
        assertEquals(RATE - 1, first.rate().orElseThrow().remaining());
        for (int i = 0; i < 10; i++) {
            JobSubmitter.Submitted replay = submitter.submit(ANON, request("print(1)"), 0, Optional.of(key), charge());
            assertTrue(replay.replayed());
            assertEquals(first.id(), replay.id());
            assertTrue(replay.rate().isEmpty(), "a replay is not charged");
        }
        assertEquals(RATE - 1, bucket.take("ip:10.0.0.9", RATE, 0).remaining());
    }

    @Test
    void aSubmissionRefusedForAFullQueueCostsNothing() {
        JobSubmitter submitter = submitter(1);
        submitter.submit(ANON, request("print(1)"), 0, Optional.empty(), charge());
        for (int i = 0; i < 3; i++) {
            assertThrows(QueueFullException.class,
                    () -> submitter.submit(ANON, request("print(2)"), 0, Optional.empty(), charge()));
        }
        assertEquals(RATE - 1, bucket.take("ip:10.0.0.9", RATE, 0).remaining());
    }

    @Test
    void withoutAChargeTheBucketIsUntouched() {
        JobSubmitter.Submitted s = submitter(100).submit(ANON, request("print(1)"), 0, Optional.empty(), Optional.empty());
        assertTrue(s.rate().isEmpty());
        assertTrue(redis.keys(RedisKeys.rateBucket("*")).isEmpty());
    }
}
