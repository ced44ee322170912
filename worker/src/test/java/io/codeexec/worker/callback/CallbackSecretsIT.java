package io.codeexec.worker.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The secret cache against a real Redis, on a hand-driven clock: a rotation is seen exactly when the period ends. */
class CallbackSecretsIT {
    private RedisClient redis;
    private final AtomicLong nanos = new AtomicLong(1_000);

    @BeforeEach
    void freshRedis() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(2);
        redis.flushAll();
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void rotationTakesEffectWhenTheCachePeriodEnds() {
        CallbackSecrets secrets = new CallbackSecrets(redis, "global", Duration.ofSeconds(30), nanos::get);
        redis.hset(RedisKeys.tenant("t1"), CallbackSecrets.SECRET_FIELD, "old");
        assertEquals("old", secrets.secretFor("t1"));
        redis.hset(RedisKeys.tenant("t1"), CallbackSecrets.SECRET_FIELD, "new");
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertEquals("old", secrets.secretFor("t1"), "still cached");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals("new", secrets.secretFor("t1"), "read again after 30 s");
    }

    @Test
    void anonymousMissingAndEmptyMeanTheGlobalSecret() {
        CallbackSecrets secrets = new CallbackSecrets(redis, "global", Duration.ZERO, nanos::get);
        redis.hset(RedisKeys.tenant("anonymous"), CallbackSecrets.SECRET_FIELD, "never-used");
        redis.hset(RedisKeys.tenant("empty"), CallbackSecrets.SECRET_FIELD, "");
        assertEquals("global", secrets.secretFor("anonymous"));
        assertEquals("global", secrets.secretFor(null));
        assertEquals("global", secrets.secretFor("no-such-tenant"));
        assertEquals("global", secrets.secretFor("empty"));
    }
}
