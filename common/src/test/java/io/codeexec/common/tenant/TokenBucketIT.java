package io.codeexec.common.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

// The token bucket script against a real Redis and its clock: capacity, continuous refill, debt, separate subjects.
class TokenBucketIT {
    private static RedisClient redis;

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
    }

    @Test
    void admitsCapacityThenRefusesWithTheWaitUntilTheNextToken() {
        TokenBucket bucket = new TokenBucket(redis, Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            TokenBucket.Decision d = bucket.take("t:a", 5, 1);
            assertTrue(d.admitted(), "request " + i);
            assertEquals(4 - i, d.remaining());
        }
        TokenBucket.Decision refused = bucket.take("t:a", 5, 1);
        assertFalse(refused.admitted());
        assertEquals(0, refused.remaining());
        assertTrue(refused.retryAfterMs() > 11_000 && refused.retryAfterMs() <= 12_000, "one token per 12 s: " + refused);
        assertTrue(refused.resetMs() > 59_000 && refused.resetMs() <= 60_000, refused.toString());
        assertTrue(bucket.take("t:b", 5, 1).admitted(), "another subject has its own bucket");
        assertTrue(redis.pttl(RedisKeys.rateBucket("t:a")) > 0, "buckets expire once full again");
    }

    @Test
    void refillsContinuously() throws InterruptedException {
        TokenBucket bucket = new TokenBucket(redis, Duration.ofSeconds(2));  // 4 tokens per 2 s: one per 500 ms
        for (int i = 0; i < 4; i++) {
            assertTrue(bucket.take("t:a", 4, 1).admitted());
        }
        assertFalse(bucket.take("t:a", 4, 1).admitted());
        Thread.sleep(600);
        assertTrue(bucket.take("t:a", 4, 1).admitted(), "one token back after 500 ms");
        assertFalse(bucket.take("t:a", 4, 1).admitted());
    }

    @Test
    void aCostAboveCapacityWaitsForAFullBucketAndLeavesItInDebt() {
        TokenBucket bucket = new TokenBucket(redis, Duration.ofMinutes(1));
        assertTrue(bucket.take("t:a", 5, 1).admitted());
        TokenBucket.Decision notFull = bucket.take("t:a", 5, 12);
        assertFalse(notFull.admitted(), "needs a full bucket");
        assertTrue(notFull.retryAfterMs() > 0 && notFull.retryAfterMs() <= 12_000, notFull.toString());
        redis.del(RedisKeys.rateBucket("t:a"));
        TokenBucket.Decision batch = bucket.take("t:a", 5, 12);
        assertTrue(batch.admitted());
        TokenBucket.Decision after = bucket.take("t:a", 5, 1);
        assertFalse(after.admitted());
        assertTrue(after.retryAfterMs() > 95_000, "7 tokens of debt + 1 at 12 s each: " + after);
    }

    @Test
    void costZeroOnlyReads() {
        TokenBucket bucket = new TokenBucket(redis, Duration.ofMinutes(1));
        TokenBucket.Decision peek = bucket.take("t:a", 3, 0);
        assertTrue(peek.admitted());
        assertEquals(3, peek.remaining());
        assertFalse(redis.exists(RedisKeys.rateBucket("t:a")), "reading writes nothing");
        bucket.take("t:a", 3, 1);
        assertEquals(2, bucket.take("t:a", 3, 0).remaining());
        assertEquals(2, bucket.take("t:a", 3, 0).remaining());
    }
}
